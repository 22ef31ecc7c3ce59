"""The paper way: a print copy with marks and a QR code; a scan is checked for signatures at each place,
shown for confirmation, and archived only then; a signed document is replaced only with a reason."""
from __future__ import annotations

import io
import re

from PIL import Image, ImageDraw
from sqlalchemy import func, select

from service import office_seal, pipeline
from service.extensions import db
from service.signing.models import SignedDocument
from signatures.evidence import read_evidence
from signatures.pdfa import pdfa_report
from signatures.verify import verify_seal
from tests.helpers import download
from tests.signing import scans
from tests.signing.conftest import issue_document

MOTHER = "Brak podpisu: Osoba wyrażająca zgodę (matka) – Anna Kowalska, strona 2."
FATHER = "Brak podpisu: Osoba wyrażająca zgodę (ojciec) – Jan Kowalski, strona 2."
TOKEN = re.compile(r"/scans/([A-Za-z0-9_-]{32})/strona/1\.jpg")


def print_copy(staff, doc_id: str) -> bytes:
    response, printed = download(staff, f"/archive/{doc_id}/print")
    assert response.status_code == 200 and printed.startswith(b"%PDF")
    return printed


def paper(printed: bytes, dpi: int, signed: tuple[str, ...], **scan) -> list[Image.Image]:
    """The print copy's pages at `dpi`, signed at the places named, then scanned."""
    pages = scans.print_pages(printed, dpi)
    for seed, (key, box) in enumerate(scans.places(printed).items()):
        if key in signed:
            scans.sign(pages[box.page], box, dpi, seed=seed)
    return [scans.scanned(page, seed=index, **scan) for index, page in enumerate(pages)]


def upload(staff, data: bytes, name: str, **fields):
    """POSTs a scan to /scans; the response is read and closed (a large upload's temporary file with it)."""
    response = staff.post("/scans", data={"file": (io.BytesIO(data), name), **fields},
                          content_type="multipart/form-data")
    response.get_data()
    response.close()
    # without follow_redirects the test client leaves a large body's temporary file open
    response.request.environ["wsgi.input"].close()
    return response


def archived(app) -> tuple[int, int]:
    """Signed versions stored, and files in the archive: what must not grow before a confirmation."""
    with app.app_context():
        versions = db.session.execute(select(func.count()).select_from(SignedDocument)).scalar_one()
    files = sum(1 for path in pipeline(app).store.root.rglob("*") if path.is_file())
    return versions, files


def confirm_page(staff, response) -> tuple[str, str]:
    """Follows the redirect after an upload to the confirmation page; returns (its path, its HTML)."""
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    path = response.location.removeprefix("http://localhost")
    assert re.fullmatch(r"/scans/[A-Za-z0-9_-]{32}", path)
    page = staff.get(path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    return path, page.get_data(as_text=True)


def test_unsigned_print_scanned_at_100_dpi_is_refused_with_the_empty_places_named(app, staff):
    doc_id = issue_document(staff)
    printed = print_copy(staff, doc_id)
    before = archived(app)
    blank = paper(printed, 100, (), angle=0.7, noise=8)
    # at 100 dpi the QR code is seldom readable: the clerk types the document's identifier
    response = upload(staff, scans.pdf(blank, 100), "skan.pdf", document_id=doc_id)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'role="alert"' in page
    assert MOTHER in page and FATHER in page, re.findall(r"role=\"alert\">([^<]*)", page)
    assert "Zatwierdź i opatrz pieczęcią" not in page and "Zastąp podpisaną wersję" not in page
    # the pages are shown with their places marked, to the uploader only
    token = TOKEN.search(page).group(1)
    image, _ = download(staff, f"/scans/{token}/strona/2.jpg")
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    assert image.headers["Cache-Control"] == "no-store"
    # a crafted confirmation is refused all the same, and nothing was archived at any point
    crafted = staff.post(f"/scans/{token}", data={"replaces": ""})
    assert crafted.status_code == 422 and MOTHER in crafted.get_data(as_text=True)
    assert archived(app) == before
    assert "Podpisany na papierze" not in staff.get(f"/archive/{doc_id}").get_data(as_text=True)


def test_partly_signed_scan_names_only_the_missing_signatures(app, staff):
    doc_id = issue_document(staff)
    printed = print_copy(staff, doc_id)
    pages = paper(printed, 150, ("family_member:0",), angle=-1.2, noise=10)
    response = upload(staff, scans.tiff(pages, 150), "skan.tif", document_id=doc_id)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert FATHER in page and MOTHER not in page
    assert archived(app)[0] == 0


def test_missing_page_is_named(app, staff):
    doc_id = issue_document(staff, "zz_power_of_attorney")
    printed = print_copy(staff, doc_id)
    pages = paper(printed, 150, ("principal:0", "principal_health_consent:0"))
    response = upload(staff, scans.jpeg(pages[0]), "skan.jpg")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Na skanie brakuje stron dokumentu: 2" in page
    assert "Nie sprawdzono podpisu: Osoba upoważniająca – zgoda na dane o zdrowiu – Magdalena Nowicka, strona 2" in page


def test_signed_scan_is_archived_only_after_confirmation(app, staff, create_user):
    other_id = issue_document(staff)
    doc_id = issue_document(staff, "zz_power_of_attorney")
    printed = print_copy(staff, doc_id)
    pages = paper(printed, 300, ("principal:0", "principal_health_consent:0"), angle=1.5, noise=8)
    scan = scans.pdf(pages, 300)
    before = archived(app)
    path, page = confirm_page(staff, upload(staff, scan, "skan.pdf"))
    assert "Zatwierdź i opatrz pieczęcią" in page and page.count('class="state done"') == 2
    assert 'class="state missing"' not in page
    assert archived(app) == before  # checked and shown, not archived
    token = path.rsplit("/", 1)[1]
    assert download(staff, f"/scans/{token}/strona/1.jpg")[0].status_code == 200
    # another staff member gets nothing of it, not even its pages
    colleague, other = app.test_client(), create_user("assistant")
    assert colleague.post("/login", data={"login": other.login, "password": "haslo-" + other.login}).status_code == 302
    assert colleague.get(path).status_code == 302
    assert download(colleague, f"/scans/{token}/strona/1.jpg")[0].status_code == 404
    assert colleague.post(path, data={"replaces": ""}).status_code == 302
    assert archived(app) == before

    confirmed = staff.post(path, data={"replaces": ""})
    assert confirmed.status_code == 303 and confirmed.location.endswith(f"/archive/{doc_id}")
    with app.app_context():
        version = db.session.execute(select(SignedDocument)).scalar_one()
        assert (version.document_id, version.kind, version.replaces_id) == (doc_id, "paper", None)
        assert [place["state"] for place in version.scan_check] == ["signed", "signed"]
        assert pipeline(app).store.read(version.scan_sha256, "pdf") == scan
        signed = pipeline(app).store.read(version.pdf_sha256, "pdf")
        assert verify_seal(signed, [office_seal(app).certificate]).ok
        assert pdfa_report(signed).ok
        evidence = read_evidence(signed)
        assert evidence.document_id == doc_id and evidence.signers[0].name == "Magdalena Nowicka"
        assert evidence.replaces is None
    assert staff.get(path).status_code == 302  # confirmed: the staged scan is gone
    assert "Podpisany na papierze" in staff.get(f"/archive/{doc_id}").get_data(as_text=True)
    assert "Podpisany na papierze" not in staff.get(f"/archive/{other_id}").get_data(as_text=True)


def test_second_scan_of_a_signed_document_needs_the_replacement_and_its_reason(app, staff, api_token, assistant):
    doc_id = issue_document(staff)
    printed = print_copy(staff, doc_id)
    both = ("family_member:0", "family_member:1")
    path, _ = confirm_page(staff, upload(staff, scans.pdf(paper(printed, 150, both), 150), "skan.pdf"))
    assert staff.post(path, data={"replaces": ""}).status_code == 303
    with app.app_context():
        first = db.session.execute(select(SignedDocument)).scalar_one().id
    form = staff.get(f"/scans?document={doc_id}").get_data(as_text=True)
    assert "jest już podpisany" in form and "Zastąp podpisaną wersję" in form

    again = scans.pdf(paper(printed, 200, both, angle=0.6, noise=6), 200)
    path, page = confirm_page(staff, upload(staff, again, "skan-2.pdf"))
    assert "Ten dokument jest już podpisany" in page and "Zastąp podpisaną wersję" in page
    assert "Zatwierdź i opatrz pieczęcią" not in page and f'value="{first}"' in page
    no_reason = staff.post(path, data={"replaces": first, "reason": "  "})
    assert no_reason.status_code == 422 and "Podaj powód zastąpienia" in no_reason.get_data(as_text=True)
    stale = staff.post(path, data={"replaces": "", "reason": "Nowy skan"})  # a page shown before the first version
    assert stale.status_code == 422 and "W międzyczasie dołączono" in stale.get_data(as_text=True)
    assert archived(app)[0] == 1

    reason = "W pierwszym skanie druga strona była nieczytelna."
    assert staff.post(path, data={"replaces": first, "reason": reason}).status_code == 303
    with app.app_context():
        old, new = db.session.execute(select(SignedDocument).order_by(SignedDocument.created_at)).scalars().all()
        assert old.id == first and (new.replaces_id, new.replace_reason) == (first, reason)
        assert (old.replaces_id, old.replace_reason) == (None, None)  # the older row is as it was
        evidence = read_evidence(pipeline(app).store.read(new.pdf_sha256, "pdf"))
        assert first in evidence.replaces and evidence.replace_reason == reason
        assert read_evidence(pipeline(app).store.read(old.pdf_sha256, "pdf")).replaces is None
        new_id = new.id
    page = staff.get(f"/archive/{doc_id}").get_data(as_text=True)
    assert "wersja zastąpiona" in page and f"Powód: „{reason}”" in page and f"<code>{new_id}</code>" in page
    api = staff.get(f"/api/documents/{doc_id}", headers=api_token(assistant)).get_json()
    versions = api["signing"]["signed_versions"]
    assert [v["id"] for v in versions] == [first, new_id]
    assert versions[0]["replaced_by"]["id"] == new_id and versions[0]["replaced_by"]["reason"] == reason
    assert versions[1]["replaces"] == first and versions[1]["replaced_by"] is None
    assert api["signing"]["signed_pdf"] == versions[1]["pdf"]


def test_the_same_scan_confirmed_again_is_named_as_attached_not_offered_as_a_replacement(app, staff):
    """The same file uploaded twice (a second tab, a click after a slow answer) and confirmed in both:
    the second confirmation says the scan is attached already and leads to the document."""
    doc_id = issue_document(staff)
    printed = print_copy(staff, doc_id)
    scan = scans.pdf(paper(printed, 150, ("family_member:0", "family_member:1")), 150)
    first, _ = confirm_page(staff, upload(staff, scan, "skan.pdf"))
    second, _ = confirm_page(staff, upload(staff, scan, "skan.pdf"))
    assert staff.post(first, data={"replaces": ""}).status_code == 303
    again = staff.post(second, data={"replaces": ""})
    assert again.status_code == 303 and again.location.endswith(f"/archive/{doc_id}")
    page = staff.get(f"/archive/{doc_id}").get_data(as_text=True)
    assert "Ten skan został już dołączony do dokumentu." in page and "W międzyczasie" not in page
    assert staff.get(second).status_code == 302  # its staged copy is gone, not shown without its pages
    assert archived(app)[0] == 1


def test_duplex_scan_with_blank_backs_skips_them_and_lists_them(app, staff):
    doc_id = issue_document(staff)
    printed = print_copy(staff, doc_id)
    front = paper(printed, 150, ("family_member:0", "family_member:1"), angle=0.5, noise=10)
    backs = [scans.scanned(scans.blank_sheet(scans.render_page(printed, 0, 150)), angle=0.5, noise=25, seed=9)
             for _ in front]
    duplex = [front[0], backs[0], front[1], backs[1]]
    path, page = confirm_page(staff, upload(staff, scans.pdf(duplex, 150), "skan.pdf"))
    assert "Zatwierdź i opatrz pieczęcią" in page and "nie rozpoznano znaczników" not in page
    assert "Strona 2 skanu: pusta strona (pominięta)" in page and "Strona 4 skanu: pusta strona (pominięta)" in page
    assert "Strona 3 skanu: pusta" not in page and page.count('class="state done"') == 2
    assert staff.post(path, data={"replaces": ""}).status_code == 303
    assert archived(app)[0] == 1


def test_signed_scan_at_72_dpi_is_refused_for_its_resolution_not_for_the_signatures(app, staff):
    doc_id = issue_document(staff)
    printed = print_copy(staff, doc_id)
    pages = paper(printed, 72, ("family_member:0", "family_member:1"), noise=8)
    response = upload(staff, scans.pdf(pages, 72), "skan.pdf", document_id=doc_id)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Skan ma za niską rozdzielczość (około 72 dpi) – zeskanuj dokument w co najmniej 150 dpi." in page
    assert "Brak podpisu" not in page and "Zatwierdź i opatrz pieczęcią" not in page
    assert archived(app)[0] == 0


def test_photo_taken_at_an_angle_asks_for_a_straight_photo_not_a_reprint(app, staff):
    doc_id = issue_document(staff)
    printed = print_copy(staff, doc_id)
    pages = [scans.photographed(page, 0.05) for page in paper(printed, 150, ("family_member:0", "family_member:1"))]
    response = upload(staff, scans.pdf(pages, 150), "zdjecie.pdf", document_id=doc_id)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "sfotografuj stronę prosto z góry, leżącą płasko, w dobrym świetle" in page
    assert "wydrukować ponownie" not in page


def test_scan_without_a_code_needs_the_document_chosen_by_hand(app, staff):
    doc_id = issue_document(staff)
    blank = io.BytesIO()
    Image.new("RGB", (1240, 1754), "white").save(blank, "PNG")
    response = upload(staff, blank.getvalue(), "skan.png")
    assert response.status_code == 422
    assert "nie znaleziono czytelnego kodu QR" in response.get_data(as_text=True)
    chosen = upload(staff, blank.getvalue(), "skan.png", document_id=doc_id)
    assert chosen.status_code == 422
    # a white page is a blank one (a duplex scan's back), not a print without marks
    assert "Wszystkie strony skanu są puste" in chosen.get_data(as_text=True)
    # a signed scan whose codes were torn off: the marks still tell its pages
    pages = paper(print_copy(staff, doc_id), 150, ("family_member:0", "family_member:1"))
    for page in pages:
        ImageDraw.Draw(page).rectangle((page.width - 200, page.height - 200, page.width, page.height), fill="white")
    torn = scans.pdf(pages, 150)
    assert "nie znaleziono czytelnego kodu QR" in upload(staff, torn, "skan.pdf").get_data(as_text=True)
    path, page = confirm_page(staff, upload(staff, torn, "skan.pdf", document_id=doc_id))
    assert "wybrany ręcznie" in page


def test_not_a_scan_is_refused_next_to_the_field(staff):
    response = upload(staff, b"hello", "skan.txt")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'role="alert"' in page and "nie jest" in page.lower()


def test_dropped_scan_leaves_nothing(app, staff):
    doc_id = issue_document(staff)
    pages = paper(print_copy(staff, doc_id), 150, ("family_member:0", "family_member:1"))
    path, _ = confirm_page(staff, upload(staff, scans.pdf(pages, 150), "skan.pdf"))
    assert any((app.config["SCAN_STAGING_DIR"]).iterdir())
    assert staff.post(f"{path}/drop").status_code == 303
    assert not any((app.config["SCAN_STAGING_DIR"]).iterdir())
    assert staff.get(path).status_code == 302 and archived(app)[0] == 0
