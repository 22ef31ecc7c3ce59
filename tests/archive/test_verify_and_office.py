"""The seal check (CLI and page), and the office profile that fills every letterhead."""
from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from service.documents.registry import DOCUMENT_TYPES
from signatures.devseal import create_dev_seal
from signatures.seal import OfficeSeal
from tests.helpers import download, pdf_text, squash


def issue_sample(client, headers, slug="family_consent"):
    response = client.post(f"/api/documents/{slug}", json=DOCUMENT_TYPES[slug].sample_data, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    _, pdf = download(client, body["links"]["pdf"], headers=headers)
    return body, pdf


def test_verify_command(client, runner, create_user, api_token, tmp_path):
    body, pdf = issue_sample(client, api_token(create_user("assistant")))
    good = tmp_path / "good.pdf"
    good.write_bytes(pdf)
    result = runner.invoke(args=["documents", "verify", str(good)])
    assert result.exit_code == 0, result.output
    assert "nienaruszon" in result.output and body["case_sign"] in result.output
    bad = tmp_path / "bad.pdf"
    tampered = bytearray(pdf)
    tampered[len(pdf) // 2] ^= 0x20
    bad.write_bytes(bytes(tampered))
    result = runner.invoke(args=["documents", "verify", str(bad)])
    assert result.exit_code == 1
    assert "nie ma w archiwum" in result.output


def test_verify_page(client, create_user, api_token, login, tmp_path):
    user = create_user("assistant")
    _, pdf = issue_sample(client, api_token(user))
    login(user)
    html = client.post("/verify", data={"file": (io.BytesIO(pdf), "pismo.pdf")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Pieczęć nienaruszona" in html and "Zgoda rodziny" in html
    other_p12, passphrase = create_dev_seal(tmp_path / "other", "Gminny Ośrodek Pomocy Społecznej w Kętach")
    foreign = OfficeSeal.load(other_p12, passphrase).seal(pdf)
    html = client.post("/verify", data={"file": (io.BytesIO(foreign), "obcy.pdf")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Dokument nie przeszedł weryfikacji" in html
    html = client.post("/verify", data={"file": (io.BytesIO(b"not a pdf"), "x.pdf")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "nie jest dokumentem PDF" in html
    html = client.post("/verify", data={}, content_type="multipart/form-data").get_data(as_text=True)
    assert "Wybierz plik PDF do sprawdzenia." in html


def office_form(**changes):
    data = {"name": "Gminny Ośrodek Pomocy Społecznej w Jastrzębi", "street": "Jastrzębia 3",
            "postal_code": "26-631", "town": "Jastrzębia", "phone": "48 384 05 07", "email": "gops@jastrzebia.pl",
            "nip": "549-245-67-24", "regon": "072543210", "head_name": "Maria Wiśniewska",
            "head_title": "Kierownik Gminnego Ośrodka Pomocy Społecznej w Jastrzębi", "date_town": "Jastrzębia",
            "iod_email": "iod@jastrzebia.pl", "department_code": "GOPS", "case_sign_pattern": "{dept}.{symbol}.{number}.{year}",
            "classes-0-key": "family_support", "classes-0-symbol": "4013", "classes-0-title": "Asysta rodzinna",
            "classes-0-category": "BE5", "classes-1-key": "za_zyciem", "classes-1-symbol": "4014",
            "classes-1-title": "Za życiem", "classes-1-category": "BE10", "confirm": "y"}
    data.update(changes)
    return data


def test_office_profile_fills_the_letterhead(app, client, create_user, login, api_token):
    admin, head = create_user("admin"), create_user("head")
    login(admin)
    html = client.post("/office", data=office_form(nip="1234567890", case_sign_pattern="{dept}.{oops}")).get_data(as_text=True)
    assert "Nieprawidłowy numer NIP" in html and "Wzór musi zawierać {number}" in html
    assert client.post("/office", data=office_form()).status_code == 302
    body, pdf = issue_sample(client, api_token(head), "assignment_letter")
    sign = f"GOPS.4013.1.{dt.datetime.now(ZoneInfo('Europe/Warsaw')).year}"
    assert body["case_sign"] == sign
    text = squash(pdf_text(pdf))
    for value in ("Gminny Ośrodek Pomocy Społecznej w Jastrzębi", "Jastrzębia, dnia", "Maria Wiśniewska",
                  "NIP 5492456724", sign):
        assert squash(value) in text, value


def test_office_page_is_for_the_administrator(client, create_user, login):
    login(create_user("head"))
    assert client.get("/office").status_code == 403
