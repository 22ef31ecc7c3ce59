"""Names in any script on the pages the service draws itself: evidence page, staff stamp, verify report.

Issue 7, item 5: a Georgian name came out blank on the evidence page, as NUL bytes in
`flask documents verify`, and the page used .notdef (forbidden in PDF/A-2, ISO 19005-2, 6.2.11.8).
"""
from __future__ import annotations

import io
import re
import subprocess
from html import unescape as html_unescape
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import create_string_object
from sqlalchemy import select

from service import office_seal
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from service.office.models import get_profile
from service.signing.models import Signature, SignedDocument
from signatures.evidence import read_evidence
from signatures.multiscript import actual_text
from signatures.pdfa import pdfa_report
from signatures.verify import verify_seal
from tests.helpers import download
from tests.signing.conftest import issue_document, start_remote
from tests.signing.test_signed_pdf import sign_all

GEORGIAN = "ნინო ბერიძე"
ARABIC = "محمد الأحمد"
UKRAINIAN = "Олена Шевченко-Ґалаїєва"  # ґ, ї and є: letters Russian does not have
# the head of office signs with a password: her name on the stamp mixes Armenian, Hebrew
# (right to left inside a left-to-right line), Greek and an emoji
HEAD = "Սոնա כהן-Παπαδοπούλου 🌻"


def _evidence_text(signed: bytes) -> str:
    reader = PdfReader(io.BytesIO(signed))
    start = next(i for i, page in enumerate(reader.pages) if "Karta dowodowa podpisów" in page.extract_text())
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages[start:])


def test_georgian_arabic_and_ukrainian_signers(app, staff, tablet, runner, tmp_path):
    data = {**DOCUMENT_TYPES.get("family_consent").sample_data, "persons": [
        # names the dictionary does not know: the staff member sets „Płeć” for the wording
        {"full_name": GEORGIAN, "role": "matka", "sex": "f"}, {"full_name": ARABIC, "role": "ojciec", "sex": "m"},
        {"full_name": UKRAINIAN, "role": "babcia", "sex": "f"}]}
    doc_id = issue_document(staff, data=data)
    link, session_id = start_remote(staff, doc_id)
    tablet.get(link)
    sign_all(tablet, session_id, 3)
    with app.app_context():
        version_id = db.session.execute(select(SignedDocument.id)).scalar_one()
    _, signed = download(staff, f"/archive/{doc_id}/signed/{version_id}.pdf")

    names = [GEORGIAN, ARABIC, UKRAINIAN]
    evidence = read_evidence(signed)
    assert evidence is not None and [s.name for s in evidence.signers] == names
    text = _evidence_text(signed)
    for name in names:  # logical order, as typed: right-to-left included
        assert name in text, text
    report = pdfa_report(signed)
    assert report.ok and not report.glyph_problems, report.problems
    with app.app_context():
        assert verify_seal(signed, [office_seal(app).certificate]).ok

    page = staff.post("/verify", data={"file": (io.BytesIO(signed), "podpisany.pdf")},
                      content_type="multipart/form-data").get_data(as_text=True)
    assert "Pieczęć nienaruszona" in page
    for name in names:
        assert f"<bdi>{name}</bdi>" in page
    path = Path(tmp_path) / "podpisany.pdf"
    path.write_bytes(signed)
    cli = runner.invoke(args=["documents", "verify", str(path)])
    assert cli.exit_code == 0, cli.output
    for number, name in enumerate(names, 1):
        assert f"Podpis {number}: {name} – " in cli.output
    assert "\x00" not in cli.output and "\ufffd" not in cli.output


def signed_by_head(client, login, head) -> str:
    """An assignment letter issued and signed by `head` with the password on this device; its id."""
    login(head)
    doc_id = issue_document(client, "assignment_letter")
    response = client.post(f"/archive/{doc_id}/signing", data={"mode": "here"})
    session_id = response.location.rsplit("/", 1)[1]
    done = client.post(f"/podpis/{session_id}", data={"position": 0, "read_confirmed": "y",
                                                      "login": head.login, "password": "haslo-" + head.login})
    assert done.status_code == 302, done.get_data(as_text=True)[:2000]
    return doc_id


def test_staff_stamp_in_armenian_hebrew_greek_and_emoji(app, client, create_user, login):
    head = create_user("head", full_name=HEAD)
    doc_id = signed_by_head(client, login, head)
    with app.app_context():
        version_id = db.session.execute(select(SignedDocument.id)).scalar_one()
    _, signed = download(client, f"/archive/{doc_id}/signed/{version_id}.pdf")
    report = pdfa_report(signed)
    assert report.ok and not report.glyph_problems, report.problems
    reader = PdfReader(io.BytesIO(signed))
    stamped = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert f"{HEAD}, " in stamped, stamped  # the stamp's second line: name, role
    assert [s.name for s in read_evidence(signed).signers] == [HEAD]


# Issue 7, follow-up: a right-to-left staff name mixed with digits and Latin; the role must stay
# after it (each value isolated, the line left to right as its Polish template), and the name must
# read back exactly as signed.
HEBREW_HEAD = "ד״ר יוסי 2 כהן-Ali 3"


def _stamp_line(signed: bytes, needle: str) -> list[tuple[float, float, str]]:
    """(left, right, word) of the words poppler finds on the line of the first word containing `needle`."""
    html = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=signed, capture_output=True,
                          check=True).stdout.decode()
    words = [(float(x0), float(x1), round(float(y1), 1), html_unescape(word)) for x0, x1, y1, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', html)]
    y = next(y for _, _, y, word in words if needle in word)
    return [(x0, x1, word) for x0, x1, yy, word in words if yy == y]


def test_right_to_left_staff_name_keeps_the_role_after_it(app, client, create_user, login, runner, tmp_path):
    with app.app_context():  # a title short enough to share the stamp's line with the name (steps.stamp_lines)
        get_profile().head_title = role = "Dyrektor MOPS"
        db.session.commit()
    head = create_user("head", full_name=HEBREW_HEAD)
    doc_id = signed_by_head(client, login, head)
    with app.app_context():
        version_id = db.session.execute(select(SignedDocument.id)).scalar_one()
    _, signed = download(client, f"/archive/{doc_id}/signed/{version_id}.pdf")
    assert pdfa_report(signed).ok

    line = _stamp_line(signed, role.split()[0])  # the words' boxes: where the glyphs are drawn
    role_left = min(x0 for x0, _, word in line if role.split()[0] in word)
    hebrew = [(x0, x1) for x0, x1, word in line if any("\u0590" <= ch <= "\u05ff" for ch in word)]
    latin = [(x0, x1) for x0, x1, word in line if "Ali" in word]
    assert hebrew and latin, line
    assert max(x1 for _, x1 in hebrew + latin) <= role_left, line  # the whole name before the role
    # the name on its own right to left: its Latin end leftmost, as UAX #9 lays out the name alone
    assert min(x0 for x0, _ in latin) < min(x0 for x0, _ in hebrew), line

    assert [s.name for s in read_evidence(signed).signers] == [HEBREW_HEAD]
    path = Path(tmp_path) / "podpisany.pdf"
    path.write_bytes(signed)
    cli = runner.invoke(args=["documents", "verify", str(path)])
    assert cli.exit_code == 0 and f"Podpis 1: {HEBREW_HEAD} – " in cli.output, cli.output


# A tablet browser sending its User-Agent in UTF-8: WSGI hands it over as Latin-1 (PEP 3333)
AGENT = "Mozilla/5.0 (Linux; Android 14; 小米 Redmi Note 王) 😀"


def _actual_texts(signed: bytes) -> list[str]:
    """The ActualText of every marked value on the pages (how the evidence page carries its values)."""
    found: list[str] = []

    def operator(op, operands, cm, tm):
        if op == b"BDC" and len(operands) > 1 and "/ActualText" in operands[1]:
            found.append(str(create_string_object(bytes(operands[1]["/ActualText"]))))
    for page in PdfReader(io.BytesIO(signed)).pages:
        page.extract_text(visitor_operand_before=operator)
    return found


def test_utf8_user_agent_is_printed_as_sent(app, staff, tablet):
    doc_id = issue_document(staff)
    link, session_id = start_remote(staff, doc_id)
    tablet.environ_base["HTTP_USER_AGENT"] = AGENT.encode("utf-8").decode("latin-1")  # as a WSGI server gives it
    tablet.get(link)
    steps = len(DOCUMENT_TYPES.get("family_consent").sample_data["persons"])
    sign_all(tablet, session_id, steps)
    with app.app_context():
        version_id = db.session.execute(select(SignedDocument.id)).scalar_one()
        agents = set(db.session.execute(select(Signature.user_agent)).scalars())
    assert agents == {AGENT}
    _, signed = download(staff, f"/archive/{doc_id}/signed/{version_id}.pdf")
    values = _actual_texts(signed)
    # as sent; a character no installed font draws is U+FFFD (multiscript.actual_text says which)
    assert actual_text(AGENT) in values, "\n".join(values)
    assert not any("å" in value or "Ã" in value for value in values), "\n".join(values)


def test_latin1_user_agent_stays_latin1():
    from service.security import header_text

    assert header_text("Caf\xe9 Browser") == "Caf\xe9 Browser"  # not UTF-8: kept as received
    assert header_text("Mozilla/5.0") == "Mozilla/5.0"
    assert header_text(AGENT) == AGENT  # already text beyond Latin-1: as it came
