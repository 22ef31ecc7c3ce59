"""The family's copy tried the way it breaks: a link left over after its signed version was replaced,
addresses typed loosely, reissues at the same moment (tests/concurrency has the served ones)."""
from __future__ import annotations

from sqlalchemy import select

from service.extensions import db
from service.signing.models import SignedDocument
from tests.helpers import download
from tests.signing.test_family_copy import PDF, complete, family_link, signed_version


def test_a_link_to_a_version_replaced_by_a_scan_stops_working(app, staff, tablet, assistant, api_token):
    """Signed on the tablet, then replaced by a paper scan (e.g. a signature was wrong): the family
    must not be handed the replaced version — the old link is refused, the API and the staff page
    offer none until staff issue a new one, which opens the version in force."""
    from tests.signing import scans
    from tests.signing.test_paper import confirm_page, paper, print_copy, upload

    doc_id, _, page = complete(app, staff, tablet)
    link = family_link(page)
    old_id, _ = signed_version(app, doc_id)
    scan = scans.pdf(paper(print_copy(staff, doc_id), 150, ("family_member:0", "family_member:1")), 150)
    path, _ = confirm_page(staff, upload(staff, scan, "skan.pdf"))
    assert staff.post(path, data={"replaces": old_id, "reason": "Podpis ojca był nieczytelny."}).status_code == 303
    headers = api_token(assistant)
    assert app.test_client().get(f"/api/documents/{doc_id}", headers=headers).get_json()["family_copy"] is None
    response, body = download(app.test_client(), link)
    assert response.status_code == 410 and not body.startswith(PDF)
    assert "Ten link już nie działa" in body.decode()
    issued = staff.post(f"/archive/{doc_id}/kopia-dla-rodziny")
    new = family_link(staff.get(issued.location).get_data(as_text=True))
    with app.app_context():
        in_force = db.session.execute(select(SignedDocument).where(SignedDocument.replaces_id == old_id)).scalar_one()
        from service import pipeline
        wanted = pipeline(app).store.read(in_force.pdf_sha256, "pdf")
        db.session.remove()
    response, body = download(app.test_client(), new)
    assert response.status_code == 200 and body == wanted
    # a staff page read the version just before the scan replaced it: the link it issues opens
    # the version in force all the same
    from service.signing import family
    from service.signing.sessions import Client
    with app.test_request_context():
        copy = family.issue(db.session.get(SignedDocument, old_id), user=None, client=Client())
        db.session.commit()
        late = "/k/" + family.code_of(copy)
        assert copy.signed_document_id == in_force.id
        db.session.remove()
    response, body = download(app.test_client(), late)
    assert response.status_code == 200 and body == wanted


def test_a_link_typed_loosely_still_opens_and_a_wrong_one_gets_the_family_page(app, staff, tablet):
    """Lower case, the printed dash, a trailing slash or space: the same link. A code with letters
    outside the alphabet, non-ASCII or 100 000 characters long: the refusal page in the family's
    three languages (never the staff pages' 404, a 500 or a file), marked no-store."""
    _, _, page = complete(app, staff, tablet)
    link = family_link(page)
    code = link.rsplit("/", 1)[1]
    phone = app.test_client()
    dashed = f"{code[:5]}-{code[5:]}"  # as printed
    for variant in (code.lower(), dashed, f"{code}/", f"{code.lower()}%20", f"{dashed}/"):
        response = phone.head(f"/k/{variant}")
        assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf", variant
    for wrong in ("ZZZZZZZZZ0/", "ŻÓŁĆ", "%ff%fe", "x" * 100_000):
        response, body = download(app.test_client(), f"/k/{wrong}")
        text = body.decode()
        assert response.status_code == 404 and "no-store" in response.headers["Cache-Control"], wrong[:20]
        assert "Nie ma takiego linku" in text and "There is no such link" in text, wrong[:20]
