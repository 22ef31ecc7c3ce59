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
