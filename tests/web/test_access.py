"""Every route declares who may use it; assistants see only their own families; access is logged."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import select

from service.archive.models import AccessLog
from service.extensions import db
from service.security import PUBLIC_ENDPOINTS
from tests.helpers import download, form_data

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)  # no database work: once
def test_every_route_declares_roles(app):
    missing = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        roles = getattr(view, "allowed_roles", "missing")
        if getattr(view, "signing_device", False):
            continue  # declared: the device holding a signing session (checked by its cookie)
        if getattr(view, "family_link", False):
            continue  # declared: the family's one-time link (the code is the key)
        if getattr(view, "calendar_link", False):
            continue  # declared: a staff member's calendar feed (the token is the key)
        if roles == "missing" or not roles:
            missing.append(rule.rule)
    assert missing == []


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)  # no database work: once
def test_only_login_static_and_the_signing_device_are_public(app):
    public = {rule.endpoint for rule in app.url_map.iter_rules()
              if getattr(app.view_functions[rule.endpoint], "allowed_roles", "") is None}
    device = {e for e in public if getattr(app.view_functions[e], "signing_device", False)}
    family = {e for e in public if getattr(app.view_functions[e], "family_link", False)}
    calendar = {e for e in public if getattr(app.view_functions[e], "calendar_link", False)}
    assert public - device - family - calendar <= {"accounts.login"}
    assert {e.split(".")[0] for e in device} == {"device"}
    assert family == {"family.copy"}
    assert calendar == {"deadlines.feed"}


def test_every_route_refuses_anonymous(app, client):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS or rule.endpoint == "accounts.login":
            continue
        url = rule.rule.replace("<slug>", "family_consent").replace("<doc_id>", "x" * 32).replace(
            "<any(pdf, docx):kind>", "pdf")
        url = url.replace("<session_id>", "y" * 32).replace("<code>", "ABCD2345").replace(
            "<int:number>", "1").replace("<signed_id>", "z" * 32).replace("<int:user_id>", "1")
        url = url.replace("<int:family_id>", "1").replace("<int:member_id>", "1")
        device = getattr(app.view_functions[rule.endpoint], "signing_device", False)
        family = getattr(app.view_functions[rule.endpoint], "family_link", False)
        family = family or getattr(app.view_functions[rule.endpoint], "calendar_link", False)  # "<token>": none
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(url, method=method)
            response.close()  # file responses keep their file open until closed
            if family:  # a code that names no link: the plain refusal page, never a file
                assert response.status_code == 404, (method, url, response.status_code)
            elif device:
                # no session cookie: a clear refusal page, never the document
                if rule.endpoint not in ("device.enter_code", "device.signature_pad_js"):
                    assert response.status_code in (403, 404, 410), (method, url, response.status_code)
            elif rule.rule.startswith("/api/"):
                assert response.status_code == 401, (method, url)
            else:
                assert response.status_code == 302 and "/login" in response.location, (method, url)


@pytest.mark.parametrize("role, allowed", [("assistant", 200), ("admin", 403), ("archivist", 403)])
def test_issuing_needs_an_issuing_role(client, create_user, login, role, allowed):
    login(create_user(role))
    assert client.get("/documents/new/family_consent").status_code == allowed


def test_admin_cannot_read_the_archive(client, create_user, login):
    login(create_user("admin"))
    assert client.get("/archive").status_code == 403


def test_assistant_sees_only_own_families(app, client, create_user, login):
    from service.documents.registry import DOCUMENT_TYPES

    doctype = DOCUMENT_TYPES["family_consent"]
    alice, bob, head = create_user("assistant"), create_user("assistant"), create_user("head")
    login(alice)
    doc_id = client.post("/documents/new/family_consent",
                         data=form_data(doctype, doctype.sample_data)).location.rsplit("/", 1)[-1]
    client.post("/logout")
    login(bob)
    assert client.get(f"/archive/{doc_id}").status_code == 404
    response, _ = download(client, f"/archive/{doc_id}/pdf")
    assert response.status_code == 404
    assert doc_id not in client.get("/archive").get_data(as_text=True)
    # Bob cannot file a document under Alice's case either.
    with app.app_context():
        from service.archive.models import DocumentRecord
        case_id = db.session.get(DocumentRecord, doc_id).case_id
    html = client.get("/documents/new/family_consent").get_data(as_text=True)
    assert f'value="{case_id}"' not in html
    response = client.post("/documents/new/family_consent",
                           data={**form_data(doctype, doctype.sample_data), "case_id": str(case_id)})
    assert response.status_code == 422
    client.post("/logout")
    login(head)
    assert client.get(f"/archive/{doc_id}").status_code == 200
    response, pdf = download(client, f"/archive/{doc_id}/pdf")
    assert response.status_code == 200 and pdf.startswith(b"%PDF")
    with app.app_context():
        log = db.session.execute(select(AccessLog.action, AccessLog.object_id, AccessLog.user_id)).all()
    assert ("issue", doc_id, alice.id) in log
    assert ("view", doc_id, head.id) in log
    assert ("download", doc_id, head.id) in log


def test_second_document_in_the_same_case(app, client, create_user, login):
    from service.documents.registry import DOCUMENT_TYPES

    doctype = DOCUMENT_TYPES["family_consent"]
    login(create_user("assistant"))
    first = client.post("/documents/new/family_consent", data=form_data(doctype, doctype.sample_data))
    with app.app_context():
        from service.archive.models import DocumentRecord
        from service.families.models import Case
        case = db.session.get(DocumentRecord, first.location.rsplit("/", 1)[-1]).case
        case_id, sign = case.id, case.sign
    second = client.post("/documents/new/family_consent",
                         data={**form_data(doctype, doctype.sample_data), "case_id": str(case_id)})
    client.post("/documents/new/family_consent", data=form_data(doctype, doctype.sample_data))  # opens case 2
    with app.app_context():
        assert db.session.get(DocumentRecord, second.location.rsplit("/", 1)[-1]).case.sign == sign
        signs = sorted(c.sign for c in db.session.scalars(select(Case)))
    assert signs == ["MOPS.SPS.4011.1." + sign.split(".")[-1], "MOPS.SPS.4011.2." + sign.split(".")[-1]]


def test_core_packages_use_no_request_globals():
    """documents/ and signatures/ serve the web, the API, the CLI and workers alike."""
    banned = {"request", "session", "g", "current_user", "current_app"}
    offenders = []
    for folder in (ROOT / "service" / "documents", ROOT / "signatures"):
        for path in folder.rglob("*.py"):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ("flask", "flask_login"):
                    names = {a.name for a in node.names}
                    if names & banned or node.module == "flask_login":
                        offenders.append(f"{path.name}: {node.module} {names}")
    assert offenders == []
