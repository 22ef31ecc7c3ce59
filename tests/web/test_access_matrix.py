"""The access matrix: every route × every role × its own family's objects and another family's.

HOW TO PLACE A ROUTE (a new route fails test_every_route_is_in_the_matrix until it is here): add one
line to ROUTES, keyed by its endpoint:

    "api.get_family": Route("/api/families/{family}", FAMILY_FILE, logs=True),

- the URL names family A's objects through placeholders; the test asks it once more with family B's.
  {family} {case} {case_sign}: the family, its case's id and sign; {doc}: a consent with an open
  signing session ({session}, its one-time link {code}); {signed_doc} with {signed}: a consent signed
  on paper (its signed version, with the scan); {work_doc} with {work_session}: a consent whose
  session the POSTs may cancel or restart; {scan}, {scan_drop}: a scan the requesting user staged
  for {doc}; {member}: the family's first member; {staff}: a staff account (family B's assistant).
  Anything without a placeholder is asked once.
- `who` says what each role gets (the groups below): ALL (may use it for any family), OWN (only for
  its own family: another's answers as if it did not exist, `gone`, 404 unless said), OWN_REFUSED
  (403 for its own family, as a missing object for another's), 403 (never),
  or a fixed set of statuses (public routes: the login, static files, the signing device's pages
  without the device cookie, the family's copy link). "Allowed" is any answer but 401, 403, 404,
  405, 5xx and a redirect to the login page: 422 for the minimal (invalid) body POSTs send.
- `body` is what a POST sends (form fields; `json` for the API), placeholders filled in.
- `logs=True`: the route reads a family's data; each allowed GET must leave an access_log row of
  the reader naming the family (family_id).
- `names_families`: roles to which the page names any family by design (the dpo's access log).

Wherever a role may not read family B (the assistant and the social worker of A, the dpo, the
admin), no answer may hold B's members' names or case sign.
"""
from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field

import pytest
from PIL import Image
from sqlalchemy import func, select

from service.accounts.models import ROLES, User
from service.archive.models import AccessLog, DocumentRecord
from service.extensions import db
from service.families.models import Family
from service.signing import sessions, staged_scans
from service.signing.models import SignedDocument
from tests.families.files import PESELS, family_data, issue_consent, register, sign_on_paper
from tests.helpers import download
from tests.signing.conftest import issue_document, start_remote

ALL, OWN, NO = "all", "own", 403
OWN_REFUSED = "own_refused"  # its own family's: 403 (not this role's change); another's: 404


def who(all=(), own=(), own_refused=()) -> dict[str, object]:
    """Each role's expectation: ALL for `all`, OWN for `own`, OWN_REFUSED for `own_refused`, 403 for the rest."""
    return {role: ALL if role in all else OWN if role in own else OWN_REFUSED if role in own_refused else NO
            for role in ROLES}


def fixed(*statuses: int) -> dict[str, object]:
    """The same statuses for every role (routes public by design)."""
    return {role: frozenset(statuses) for role in ROLES}


EVERYONE = who(all=ROLES)
ADMIN = who(all=("admin",))
# Issued documents: every family's for the head, the coordinator and the archivist (the whole
# archive); their own families' for the assistant and the social worker; none for the dpo, the admin.
DOCUMENTS = who(all=("head", "coordinator", "archivist"), own=("assistant", "social_worker"))
# Routes listing or filtering what the role sees (the list itself is narrowed, never refused).
DOCUMENT_LISTS = who(all=("head", "coordinator", "archivist", "assistant", "social_worker"))
# Signing, family copies: the staff who work with families (the archivist files, never signs).
SIGNING = who(all=("head",), own=("assistant", "social_worker"))
# Issuing a consent: the case is a form field, another family's refused at it like one that does not exist.
ISSUING = who(all=("head", "assistant", "social_worker"))
# The family's file: the archivist has the archive only (documents.md, data protection).
FAMILY_FILE = who(all=("head", "coordinator"), own=("assistant", "social_worker"))
# Assigning an assistant, changing the social worker in charge.
ASSIGNING = who(all=("head", "coordinator"))
# Changes of the file the assistant may not make (the basis, a member leaving): families.changes.
SOCIAL_WORKERS_CHANGE = who(all=("head", "coordinator"), own=("social_worker",), own_refused=("assistant",))
PUBLIC = fixed(200, 302, 422)
DEVICE = fixed(403, 404, 410)  # no device cookie: a refusal page, never the document


@dataclass(frozen=True)
class Route:
    """How to ask one route for family A's objects and what each role gets (see the module's doc)."""

    url: str
    who: dict[str, object]
    body: dict | None = None
    json: dict | None = None
    logs: bool = False
    gone: int = 404  # the answer to an object that does not exist (or is another family's)
    names_families: tuple[str, ...] = ()  # roles the page names every family to by design (no leak check)
    last: bool = False  # asked after every other route (logout)


ROUTES: dict[str, Route] = {
    # pages
    "static": Route("/static/asysta.css", fixed(200)),
    "accounts.login": Route("/login", PUBLIC, body={}),
    "accounts.logout": Route("/logout", fixed(302), body={}, last=True),  # to the login page
    "accounts.change_password": Route("/password", EVERYONE, body={}),
    "office.profile": Route("/office", ADMIN, body={}),
    "web.index": Route("/", EVERYONE),
    "web.new_document": Route("/documents/new/family_consent?case={case}", ISSUING, body={"case_id": "{case}"}),
    "archive.index": Route("/archive", DOCUMENT_LISTS),
    "archive.document": Route("/archive/{doc}", DOCUMENTS, logs=True),
    "archive.download": Route("/archive/{doc}/pdf", DOCUMENTS, logs=True),
    "archive.verify": Route("/verify", EVERYONE, body={}),
    # signing, printing, scans, the family's copy (staff)
    "signing.start": Route("/archive/{work_doc}/signing", SIGNING, body={}),
    "signing.handoff": Route("/archive/{doc}/signing/{session}", SIGNING, logs=True),
    # polled every few seconds by the handoff page, which logged the watch
    "signing.status": Route("/archive/{doc}/signing/{session}/status", SIGNING),
    "signing.cancel": Route("/archive/{work_doc}/signing/{work_session}/cancel", SIGNING, body={}),
    # a staff step signed from one's own session: the world's sessions wait at a family member's
    # step, so everyone is refused (403), and a family a staff member may not read is missing (404)
    "signing.own_step": Route("/archive/{doc}/signing/{session}/moj-podpis",
                              who(own_refused=("assistant", "social_worker")) | {"head": frozenset({403})},
                              body={"position": "0", "read_confirmed": "y", "password": "x"}),
    "signing.print_pdf": Route("/archive/{doc}/print", DOCUMENTS, logs=True),
    "signing.signed_pdf": Route("/archive/{signed_doc}/signed/{signed}.pdf", DOCUMENTS, logs=True),
    "signing.print_family_copy": Route("/archive/{signed_doc}/signed/{signed}/kopia-dla-rodziny.pdf", DOCUMENTS,
                                       logs=True),
    "signing.scan_file": Route("/archive/{signed_doc}/signed/{signed}/scan", DOCUMENTS, logs=True),
    "signing.signed_page": Route("/archive/{signed_doc}/signed/{signed}/strona/1.png", DOCUMENTS, logs=True),
    "signing.family_copy": Route("/archive/{signed_doc}/kopia-dla-rodziny", SIGNING, body={}, logs=True),
    # the upload form: a document it may not see is refused at the field
    "signing.upload_scan": Route("/scans?document={doc}", DOCUMENT_LISTS, body={"document_id": "{doc}"}),
    # an unknown (or another family's) staged scan: back to the upload form, with a message
    "signing.confirm_scan": Route("/scans/{scan}", DOCUMENTS, body={}, logs=True, gone=302),
    "signing.drop_scan": Route("/scans/{scan_drop}/drop", DOCUMENTS, body={}, gone=303),
    "signing.scan_preview": Route("/scans/{scan}/strona/1.jpg", DOCUMENTS),
    # the API (Bearer token)
    "api.openapi": Route("/api/openapi.json", EVERYONE),
    "api.document_types": Route("/api/document-types", EVERYONE),
    "api.document_type": Route("/api/document-types/family_consent", EVERYONE),
    "api.create_document": Route("/api/documents/family_consent", ISSUING, json={"case_sign": "{case_sign}"}),
    "api.get_document": Route("/api/documents/{doc}", DOCUMENTS, logs=True),
    "api.document_file": Route("/api/documents/{doc}/pdf", DOCUMENTS, logs=True),
    "api.signed_pdf": Route("/api/documents/{signed_doc}/signed/{signed}.pdf", DOCUMENTS, logs=True),
    "api.start_signing": Route("/api/documents/{work_doc}/signing", SIGNING, json={}),
    "api.signing_qr": Route("/api/signing-links/{code}/qr.png", SIGNING),
    "api.register": Route("/api/families", who(all=("social_worker", "head", "coordinator")), json={}),
    "api.list_families": Route("/api/families?q=kowal", who(all=("assistant", "social_worker", "coordinator", "head"))),
    "api.get_family": Route("/api/families/{family}", FAMILY_FILE, logs=True),
    "api.family_documents": Route("/api/families/{family}/documents", FAMILY_FILE, logs=True),
    "api.family_assignments": Route("/api/families/{family}/assignments", FAMILY_FILE, logs=True),
    "api.assign": Route("/api/families/{family}/assignments", ASSIGNING, json={}),
    "api.family_deadlines": Route("/api/families/{family}/deadlines", FAMILY_FILE, logs=True),
    "api.deadlines": Route("/api/deadlines", who(all=("assistant", "social_worker", "coordinator", "head"))),
    # the signing device (no staff login: the device cookie; a staff login opens nothing)
    "device.signature_pad_js": Route("/vendor/signature_pad.js", fixed(200)),
    "device.enter_code": Route("/s", PUBLIC, body={}),
    "device.open_link": Route("/s/ZZZZ2345", DEVICE),  # a code that names no session (a real one is the key)
    "device.page": Route("/podpis/{session}", DEVICE, body={}),
    "device.shown_pdf": Route("/podpis/{session}/dokument.pdf", DEVICE),
    "device.page_image": Route("/podpis/{session}/strona/1.png", DEVICE),
    "device.choose_paper": Route("/podpis/{session}/papier", DEVICE, body={}),
    "device.leave": Route("/podpis/{session}/zakoncz", DEVICE, body={}),
    # the family's one-time copy link: the code is the key; one that names no link
    "family.copy": Route("/k/ZZZZ2345ZZ", fixed(404)),
    # the family's file (the list is narrowed to the role's families, never refused)
    "families.index": Route("/families", who(all=("assistant", "social_worker", "coordinator", "head"))),
    "families.new": Route("/families/new", who(all=("social_worker", "coordinator", "head")), body={}),
    "families.show": Route("/families/{family}", FAMILY_FILE, logs=True),
    "families.issue_document": Route("/families/{family}/documents/new/family_consent", SIGNING, body={},
                                     logs=True),
    "family_changes.address": Route("/families/{family}/address", FAMILY_FILE, body={}, logs=True),
    "family_changes.basis": Route("/families/{family}/basis", SOCIAL_WORKERS_CHANGE, body={}, logs=True),
    "family_changes.social_worker": Route("/families/{family}/social-worker", ASSIGNING, body={}, logs=True),
    "family_changes.assign": Route("/families/{family}/assign", ASSIGNING, body={}, logs=True),
    "family_changes.end": Route("/families/{family}/assign/end", ASSIGNING, body={}),
    "family_changes.add_member": Route("/families/{family}/members/new", FAMILY_FILE, body={}, logs=True),
    "family_changes.edit_member": Route("/families/{family}/members/{member}", FAMILY_FILE, body={}, logs=True),
    "family_changes.member_left": Route("/families/{family}/members/{member}/left", SOCIAL_WORKERS_CHANGE,
                                        body={}, logs=True),
    # deadlines in the phone's calendar: the link's page, and the feed (no login; the token is the key)
    "deadlines.calendar": Route("/calendar", who(all=("assistant", "social_worker", "coordinator", "head")), body={}),
    "deadlines.feed": Route("/calendar/ZZZZ2345ZZZZ2345ZZZZ2345ZZZZ2345ZZZZ2345ZZZ.ics", fixed(404)),
    # staff accounts and the access log ({staff}: an account no test logs in with)
    "staff.index": Route("/accounts", ADMIN),
    "staff.new": Route("/accounts/new", ADMIN, body={}),
    "staff.edit": Route("/accounts/{staff}", ADMIN, body={}),
    "staff.deactivate": Route("/accounts/{staff}/deactivate", ADMIN, body={}),
    "staff.reactivate": Route("/accounts/{staff}/reactivate", ADMIN, body={}),
    "staff.reset_password": Route("/accounts/{staff}/password", ADMIN, body={}),
    # who read which family's file, by design for the dpo too (RODO art. 38–39)
    "access_log.index": Route("/access-log", who(all=("head", "dpo")), names_families=("dpo",)),
}

# Each role is represented by one user; the assistant and the social worker are family A's.
NAMES_A = ("Anna Kowalska", "Jan Kowalski", "Zofia Kowalska")
NAMES_B = ("Barbara Wiśniewska", "Piotr Wiśniewski", "Hanna Wiśniewska")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
MISSING = {"family": "999999", "case": "999999", "case_sign": "MOPS.SPS.4011.999.2026", "doc": "0" * 32,
           "session": "0" * 32, "code": "ZZZZ2345", "signed_doc": "0" * 32, "signed": "0" * 32,
           "work_doc": "0" * 32, "work_session": "0" * 32, "scan": "A" * 32, "scan_drop": "A" * 32,
           "member": "999999", "staff": "999999"}


# The route table and the role checks are the same whatever the database: asked once, on SQLite.
@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - set(ROUTES)) == [], "routes not placed in tests/web/test_access_matrix.py ROUTES"
    assert sorted(set(ROUTES) - endpoints) == [], "ROUTES names endpoints the app does not have"


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)
def test_the_matrix_is_what_the_routes_declare(app):
    """A role the matrix refuses (403) is one the route does not declare, and the other way round."""
    for rule in app.url_map.iter_rules():
        declared = getattr(app.view_functions[rule.endpoint], "allowed_roles", None)
        route = ROUTES.get(rule.endpoint)
        if declared is None or route is None:
            continue
        refused = {role for role, expected in route.who.items() if expected == NO}
        assert refused == set(ROLES) - declared, rule.endpoint


@dataclass
class World:
    """Families A and B, their objects' placeholder values, one user per role (the assistant and the
    social worker of family A), and the scans each user staged for each family's {doc}."""

    values: dict[str, dict[str, str]] = field(default_factory=dict)  # "A"/"B" -> placeholder -> value
    family_ids: dict[str, int] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    scans: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)  # (role, family) -> tokens


def _preview() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(out, "JPEG")
    return out.getvalue()


def build_world(app, create_user, login) -> World:
    world = World()
    users = {role: create_user(role) for role in ROLES}
    users["assistant"] = create_user("assistant", full_name="Katarzyna Zielińska")
    users["social_worker"] = create_user("social_worker", full_name="Tomasz Wójcik")
    others = {"assistant": create_user("assistant", full_name="Ewa Nowak"),
              "social_worker": create_user("social_worker", full_name="Marek Lis")}
    world.users = users
    head = users["head"]
    with app.test_request_context():
        for key, names, pesels, mine in (("A", NAMES_A, PESELS[0], True), ("B", NAMES_B, PESELS[1], False)):
            team = users if mine else others
            family_id = register(head.id, family_data(*names, pesels=pesels), social_worker=team["social_worker"].login,
                                 assistant_id=team["assistant"].id)
            family = db.session.get(Family, family_id)
            doc, signed_doc, work_doc = (issue_consent(team["assistant"].id, family_id) for _ in range(3))
            starter = db.session.get(User, team["assistant"].id)
            open_session, code = sessions.start(db.session.get(DocumentRecord, doc), starter, "remote",
                                                minutes=60, client=sessions.Client())
            work_session, _ = sessions.start(db.session.get(DocumentRecord, work_doc), starter, "remote",
                                             minutes=60, client=sessions.Client())
            world.family_ids[key] = family_id
            world.values[key] = {"family": str(family_id), "case": str(family.case_id),
                                 "case_sign": family.case.sign, "doc": doc, "session": open_session.id,
                                 "code": code, "signed_doc": signed_doc, "work_doc": work_doc,
                                 "work_session": work_session.id, "member": str(family.members[0].id),
                                 "staff": str(others["assistant"].id)}
    staff = login(head)
    for key in "AB":
        sign_on_paper(staff, world.values[key]["signed_doc"])
    with app.test_request_context():
        for key in "AB":
            world.values[key]["signed"] = db.session.execute(select(SignedDocument.id).where(
                SignedDocument.document_id == world.values[key]["signed_doc"])).scalar_one()
            for role, user in users.items():
                world.scans[(role, key)] = {name: staged_scans.stage(
                    b"%PDF-1.4 staged", ext="pdf", user_id=user.id, document_id=world.values[key]["doc"],
                    chosen_by_hand=True, ok=False, problems=["(test)"], places=[], previews=[_preview()]).token
                    for name in ("scan", "scan_drop")}
    return world


def leaks(body: bytes, names: tuple[str, ...], sign: str) -> list[str]:
    """Which of family B's names and case sign an answer holds (as text, HTML or JSON escapes)."""
    text = body.decode("utf-8", "replace")
    found = []
    for value in (*names, sign):
        if value in text or json.dumps(value)[1:-1] in text:
            found.append(value)
    return found


def allowed(status: int, location: str) -> bool:
    """An answer that served the request (or refused its body), not a refusal of the object or the role."""
    return status < 500 and status not in (401, 403, 404, 405) and "/login" not in location \
        and "/password" not in location


@dataclass
class Answer:
    status: int
    location: str
    body: bytes
    logged: list[tuple[str, str, int | None]]  # the access-log rows the request added for its user

    def __str__(self) -> str:
        return f"{self.status} {self.location}"


def ask(app, client, headers, user_id: int, route: Route, method: str, values: dict[str, str]) -> Answer:
    """One request of the matrix: the route's URL and body with `values` filled in."""
    fill = lambda text: text.format(**values)  # noqa: E731
    url, kwargs = fill(route.url), {}
    if route.body is not None and method == "POST":
        kwargs["data"] = {k: fill(v) for k, v in route.body.items()}
    if route.json is not None:
        kwargs["json"] = {k: fill(v) for k, v in route.json.items()}
    if url.startswith("/api/"):
        kwargs["headers"] = headers
    before = db_max_log(app)
    response = client.open(url, method=method, **kwargs)
    body = response.get_data()
    response.close()  # file responses keep their file open until closed
    return Answer(response.status_code, response.location or "", body, new_log_rows(app, before, user_id))


def verdict(expected, key: str, route: Route, answer: Answer) -> bool:
    """Whether the answer is what the matrix says for a role's expectation and family A's or B's object."""
    if isinstance(expected, frozenset):
        return answer.status in expected
    if expected == NO:
        return answer.status == 403
    if expected == OWN_REFUSED:
        return answer.status == (403 if key == "A" else route.gone)
    if expected == ALL or key == "A":
        return allowed(answer.status, answer.location)
    # OWN, another family's object: as if it did not exist
    return answer.status == route.gone and (route.gone == 404 or "/login" not in answer.location)


def logged_in(app, runner, world: World) -> tuple[dict, dict]:
    """A test client logged in per role (each from its own address: the code throttle counts per
    address) and each role's API token headers."""
    clients, tokens = {}, {}
    for n, (role, user) in enumerate(world.users.items(), start=10):
        clients[role] = app.test_client()
        clients[role].environ_base["REMOTE_ADDR"] = f"192.0.2.{n}"
        response = clients[role].post("/login", data={"login": user.login, "password": "haslo-" + user.login})
        assert response.status_code == 302, role
        result = runner.invoke(args=["users", "token", user.login])
        tokens[role] = {"Authorization": f"Bearer {result.output.strip()}"}
    return clients, tokens


# Roles whose requests run SQL of their own (service/families/access.py): the head the unfiltered
# queries of ALL_FAMILIES (the coordinator's too, and the archivist's WHOLE_ARCHIVE: the same select),
# the assistant the assignment subquery, the social worker the social_worker_id condition, the dpo and
# the admin the false() of no family (and the access log's and the accounts' own queries).
POSTGRESQL_ROLES = ("head", "assistant", "social_worker", "dpo", "admin")


def asked_on_postgresql(role: str, route: Route) -> bool:
    """Whether the PostgreSQL sweep asks this role this route.

    The whole matrix runs on SQLite. On PostgreSQL only the requests whose answer comes from the
    database's queries: not the roles a route refuses (403 from roles() before any query, the same
    on every database), not the coordinator and the archivist (the head's queries), and a public
    route (the same for every role) once. Every family_filter branch, every route's own lookups and
    lists, each access_log write and the leak checks still run on PostgreSQL.
    """
    expected = route.who[role]
    if isinstance(expected, frozenset):
        return role == "head"
    return expected != NO and role in POSTGRESQL_ROLES


def test_access_matrix(app, create_user, login, runner):
    on_postgresql = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    world = build_world(app, create_user, login)
    clients, tokens = logged_in(app, runner, world)
    family_b, sign_b = world.family_ids["B"], world.values["B"]["case_sign"]
    objects_b = {v for v in world.values["B"].values() if len(v) >= 32}  # documents, sessions, versions
    failures: list[str] = []
    # every GET before any POST, the logout last: a POST may cancel or restart a session
    order = sorted(((rule.endpoint, method) for rule in app.url_map.iter_rules()
                    for method in rule.methods - {"HEAD", "OPTIONS"}),
                   key=lambda em: (ROUTES[em[0]].last, em[1] != "GET", em[0], em[1]))
    for role, user in world.users.items():
        may_read_b = role in ("head", "coordinator", "archivist")
        for endpoint, method in order:
            route, expected = ROUTES[endpoint], ROUTES[endpoint].who[role]
            if on_postgresql and not asked_on_postgresql(role, route):
                continue
            both = bool(PLACEHOLDER.search(route.url + json.dumps([route.body, route.json])))
            for key in ("A", "B") if both else ("A",):
                answer = ask(app, clients[role], tokens[role], user.id, route, method,
                             {**world.values[key], **world.scans[(role, key)]})
                where = f"{role} {method} {endpoint} (family {key}): {answer}"
                if not verdict(expected, key, route, answer):
                    failures.append(f"{where}: expected {expected}")
                found = [] if may_read_b or role in route.names_families else leaks(answer.body, NAMES_B, sign_b)
                if found:
                    failures.append(f"{where}: the answer holds family B's {found}")
                may_read = expected == ALL or (expected == OWN and key == "A")
                if route.logs and method == "GET" and may_read and allowed(answer.status, answer.location) \
                        and world.family_ids[key] not in {r[2] for r in answer.logged}:
                    failures.append(f"{where}: no access_log row of {role} naming the family ({answer.logged})")
                refused = expected in (NO, OWN_REFUSED) or (expected == OWN and key == "B")
                if refused and any(r[2] == family_b or r[1] in objects_b for r in answer.logged):
                    failures.append(f"{where}: logged as a read of family B (processed before refusing)")
            if expected in (OWN, OWN_REFUSED) and both:  # another family's object answers as a missing one does
                missing = ask(app, clients[role], tokens[role], user.id, route, method, MISSING)
                if missing.status != route.gone:
                    failures.append(f"{role} {method} {endpoint}: a missing object answers {missing}, "
                                    f"the matrix says another family's answers {route.gone}")
    with app.app_context():
        strangers = [world.users[r].id for r in ("assistant", "social_worker", "dpo", "admin")]
        read_b = db.session.execute(select(func.count()).select_from(AccessLog).where(
            AccessLog.family_id == family_b, AccessLog.user_id.in_(strangers))).scalar_one()
    assert read_b == 0, "reads of family B by staff who may not read it"
    assert failures == [], "\n".join(failures)


def test_the_signing_device_logs_the_family(app, client, create_user, login):
    """The family's tablet reads the document too: its pages' reads name the family in the log."""
    doc_id = issue_document(login(create_user("assistant")))
    link, session_id = start_remote(client, doc_id)
    tablet = app.test_client()
    assert tablet.get(link).status_code == 302
    assert tablet.get(f"/podpis/{session_id}").status_code == 200
    assert download(tablet, f"/podpis/{session_id}/dokument.pdf")[0].status_code == 200
    with app.app_context():
        family_id = db.session.get(DocumentRecord, doc_id).case.family.id
        rows = db.session.execute(select(AccessLog.action, AccessLog.family_id).where(
            AccessLog.object_id == session_id)).all()
    assert {("signing_link", family_id), ("signing_view", family_id), ("signing_pdf", family_id)} <= set(rows)


def db_max_log(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.max(AccessLog.id))).scalar() or 0


def new_log_rows(app, after: int, user_id: int) -> list[tuple[str, str, int | None]]:
    """(action, object_id, family_id) of the access-log rows of this user after row `after`."""
    with app.app_context():
        return [tuple(r) for r in db.session.execute(
            select(AccessLog.action, AccessLog.object_id, AccessLog.family_id)
            .where(AccessLog.id > after, AccessLog.user_id == user_id)).all()]
