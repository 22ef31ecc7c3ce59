"""The migration to families' files (0010) from the schema before it, with issued and signed
documents: every case becomes exactly one family's file with what its documents say, nothing is
lost, every archived PDF still verifies, and whoever could read a document still can (SQLite and
PostgreSQL)."""
from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from service import pipeline
from service.archive.models import DocumentRecord
from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from service.families.models import Assignment, Case, Family
from service.signing.models import SignedDocument
from tests.families.files import sign_on_paper
from tests.helpers import form_data
from tests.signing.conftest import issue_document

LETTER = {**DOCUMENT_TYPES["assignment_letter"].sample_data, "addressee_name": "Pani Ewa Nowak i Pan Adam Nowak",
          "street": "ul. Krakowska 7", "postal_code": "32-602"}


def before_families(app) -> str:
    """The revision before the one that creates the families table (found by its content: revision
    ids are renumbered when branches are merged)."""
    script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    for revision in script.walk_revisions():
        # create_table, not any mention: later revisions alter the table
        if re.search(r"create_table\(\s*'families',", Path(revision.path).read_text(encoding="utf-8")):
            return revision.down_revision
    raise AssertionError("no migration creates the families table")


def snapshot(app) -> dict:
    """Documents (id -> slug, case, pdf and docx SHA-256) and signed versions (id -> document, SHA-256s)."""
    with app.app_context():
        docs = {d.id: (d.slug, d.case_id, d.pdf_sha256, d.docx_sha256)
                for d in db.session.execute(sa.select(DocumentRecord)).scalars()}
        signed = {s.id: (s.document_id, s.pdf_sha256, s.scan_sha256)
                  for s in db.session.execute(sa.select(SignedDocument)).scalars()}
        db.session.remove()
    return {"documents": docs, "signed": signed}


def test_existing_cases_become_families_files_and_every_file_still_verifies(app, client, create_user, login, runner,
                                                                           tmp_path):
    assistant = create_user("assistant", full_name="Katarzyna Zielińska")
    worker = create_user("social_worker", full_name="Tomasz Wójcik")
    head = create_user("head")
    # As before families: each staff member's documents open cases of their own (the assistant's
    # second consent is filed in the first one's case), one of them signed on paper.
    login(assistant)
    consent = issue_document(client)
    with app.app_context():
        consent_case = db.session.get(DocumentRecord, consent).case_id
    doctype = DOCUMENT_TYPES["family_consent"]
    second = client.post("/documents/new/family_consent",
                         data={**form_data(doctype, doctype.sample_data), "case_id": str(consent_case)})
    assert second.status_code == 302
    second = second.location.rsplit("/", 1)[1]
    sign_on_paper(client, consent)
    client.post("/logout")
    login(worker)
    letter = issue_document(client, "assignment_letter", LETTER)
    client.post("/logout")
    login(head)
    power = issue_document(client, "zz_power_of_attorney")
    client.post("/logout")
    before = snapshot(app)
    assert len(before["documents"]) == 4 and len(before["signed"]) == 1

    with app.app_context():
        old = before_families(app)
        downgrade(revision=old)
        tables = sa.inspect(db.engine).get_table_names()
        assert "families" not in tables and "assignments" not in tables
        assert "family_id" not in {c["name"] for c in sa.inspect(db.engine).get_columns("access_log")}
        assert db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == old
        db.session.remove()
        upgrade()
        db.session.remove()

    after = snapshot(app)
    assert after == before  # every document and signed version, with the same files
    with app.app_context():
        cases = db.session.execute(sa.select(Case)).scalars().all()
        families = {f.case_id: f for f in db.session.execute(sa.select(Family)).scalars()}
        assert len(cases) == 3 and set(families) == {c.id for c in cases}
        docs = {d: db.session.get(DocumentRecord, d) for d in before["documents"]}

        mine = docs[consent].case.family
        assert docs[second].case_id == docs[consent].case_id
        assert [(m.full_name, m.pesel, m.relation) for m in mine.members] == [
            ("Anna Kowalska", "88031504580", "mother"), ("Jan Kowalski", "85072212339", "father")]
        assert (mine.street, mine.postal_code, mine.town) == ("ul. Słowackiego 12 m. 4", "32-600", "Oświęcim")
        assert (mine.origin, mine.support, mine.social_worker_id) == ("migration", "family_support", None)
        assert [(a.assistant_id, a.end_date) for a in mine.assignments] == [(assistant.id, None)]

        theirs = docs[letter].case.family
        assert [m.full_name for m in theirs.members] == ["Ewa Nowak", "Adam Nowak"]
        assert (theirs.street, theirs.postal_code) == ("ul. Krakowska 7", "32-602")
        assert (theirs.basis_kind, theirs.basis) == ("request", {"request_date": LETTER["request_date"]})
        assert theirs.social_worker_id == worker.id and theirs.assignments == []

        heads = docs[power].case.family
        assert [(m.full_name, m.pesel) for m in heads.members] == [("Magdalena Nowicka", "90110302640")]
        assert (heads.support, heads.social_worker_id, heads.assignments) == ("za_zyciem", None, [])
        assert db.session.execute(sa.select(sa.func.count()).select_from(Assignment)).scalar_one() == 1

        store = pipeline(app).store
        files = [store.path(sha, "pdf") for _, _, sha, _ in before["documents"].values()]
        files += [store.path(sha, "pdf") for _, sha, _ in before["signed"].values()]
        for _, _, pdf, docx in before["documents"].values():
            assert store.read(docx, "docx")  # the DOCX kept too (read() checks its SHA-256)
        db.session.remove()
    for n, path in enumerate(files):
        copy = tmp_path / f"{n}.pdf"
        copy.write_bytes(path.read_bytes())
        result = runner.invoke(args=["documents", "verify", str(copy)])
        assert result.exit_code == 0 and "W archiwum:" in result.output, result.output

    # whoever issued a document still reads it; the others' families stay closed
    login(assistant)
    assert client.get(f"/archive/{consent}").status_code == 200
    assert client.get(f"/archive/{second}").status_code == 200
    assert client.get(f"/archive/{letter}").status_code == 404
    assert client.get(f"/archive/{power}").status_code == 404
    client.post("/logout")
    login(worker)
    assert client.get(f"/archive/{letter}").status_code == 200
    assert client.get(f"/archive/{consent}").status_code == 404


def _issue(client, headers, slug, **values):
    body = {**DOCUMENT_TYPES[slug].sample_data, **values}
    response = client.post(f"/api/documents/{slug}", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _files(app) -> dict:
    """case sign -> (members as (name, PESEL, sex, relation), social worker id, [(assistant id, end)])."""
    with app.app_context():
        out = {f.case.sign: ([(m.full_name, m.pesel, m.sex, m.relation) for m in f.members], f.social_worker_id,
                             [(a.assistant_id, a.end_date) for a in f.assignments], f.basis_kind)
               for f in db.session.execute(sa.select(Family)).scalars()}
        db.session.remove()
    return out


def test_unusual_historic_cases_make_sensible_families_and_survive_down_and_up(app, client, create_user, api_token):
    # Before families: a case with a consent (one person without a PESEL) and a letter naming the
    # same persons; letters addressed in free text; a „Za życiem” case of the head; a case with no
    # documents at all; its assistant deactivated since. Nothing lost, no salutation as a member,
    # each person once; downgrade and upgrade again give the same files.
    import datetime as dt

    assistant = create_user("assistant", full_name="Katarzyna Zielińska")
    worker, head = create_user("social_worker"), create_user("head")
    persons = [{"full_name": "Anna Kowalska", "pesel": "88031504580", "sex": "f", "role": "matka"},
               {"full_name": "Jan Kowalski", "sex": "m", "role": "ojciec"}]
    consent = _issue(client, api_token(assistant), "family_consent", persons=persons)
    both = _issue(client, api_token(head), "assignment_letter", case_sign=consent["case_sign"],
                  addressee_name="Pani Anna Kowalska i Pan Jan Kowalski")
    plural = _issue(client, api_token(worker), "assignment_letter", addressee_name="Szanowni Państwo Kowalscy")
    company = _issue(client, api_token(worker), "assignment_letter",
                     addressee_name="Pani Anna Nowak-Kowalska wraz z dziećmi")
    power = _issue(client, api_token(head), "zz_power_of_attorney")
    before = snapshot(app)
    with app.app_context():
        old = before_families(app)
        downgrade(revision=old)
        db.session.execute(sa.text(
            "INSERT INTO cases (sign, symbol, year, number, jrwa_key, category, title, assignee_id, created_at) "
            "VALUES ('MOPS.SPS.4011.99.2025', 'MOPS.SPS.4011', 2025, 99, 'family_support', 'B10', "
            "'Sprawa bez dokumentów', :worker, :at)"), {"worker": worker.id, "at": dt.datetime(2025, 3, 1, 9)})
        db.session.execute(sa.text("UPDATE users SET active = :no WHERE id = :id"), {"no": False, "id": assistant.id})
        db.session.commit()
        db.session.remove()
        upgrade()
        db.session.remove()
    assert snapshot(app) == before
    files = _files(app)
    assert len(files) == 5
    assert files[consent["case_sign"]][0] == [("Anna Kowalska", "88031504580", "woman", "mother"),
                                              ("Jan Kowalski", None, "man", "father")]
    assert both["case_sign"] == consent["case_sign"]
    assert files[plural["case_sign"]][0] == []
    assert [m[0] for m in files[company["case_sign"]][0]] == ["Anna Nowak-Kowalska"]
    assert files[company["case_sign"]][0][0][2] == "woman"  # „Pani” tells the sex
    assert files[power["case_sign"]][1:3] == (None, [])
    assert files["MOPS.SPS.4011.99.2025"][:3] == ([], worker.id, [])
    with app.app_context():
        downgrade(revision=old)
        db.session.remove()
        upgrade()
        db.session.remove()
    assert _files(app) == files and snapshot(app) == before
