"""No database transaction is open while LibreOffice converts or the seal is applied: not when
issuing into a new or an existing case, not for the last signer, not for a scan (SQLite and PostgreSQL)."""
from __future__ import annotations

import contextlib
import sqlite3

import sqlalchemy as sa

from service import pipeline
from service.extensions import db
from tests.concurrency.conftest import register
from tests.helpers import download
from tests.signing.conftest import assistant, issue_document, staff, start_remote, tablet  # noqa: F401  (fixtures)
from tests.signing.drawing import signature_post
from tests.signing import scans
from tests.signing.test_paper import paper, upload


def open_elsewhere(app) -> bool:
    """Whether any connection holds a transaction that would make a writer wait."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        probe = sqlite3.connect(url.database, timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")  # fails at once ("database is locked") if anyone writes
            probe.rollback()
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()")).scalar_one() > 0
    finally:
        engine.dispose()


class Watched:
    """The real converter and seal, noting before each call whether a transaction is open."""

    def __init__(self, app, real_converter, real_sealer) -> None:
        self.app, self.converter, self.sealer = app, real_converter, real_sealer
        self.fingerprint = real_sealer.fingerprint
        self.seen: list[tuple[str, bool, bool]] = []

    def _note(self, stage: str) -> None:
        self.seen.append((stage, db.session().in_transaction(), open_elsewhere(self.app)))

    @contextlib.contextmanager
    def slot(self):
        with self.converter.slot() as convert:
            def watched(docx: bytes) -> bytes:
                self._note("convert")
                return convert(docx)
            yield watched

    def seal(self, pdf: bytes, **kwargs) -> bytes:
        self._note("seal")
        return self.sealer.seal(pdf, **kwargs)


def watch(app, monkeypatch) -> Watched:
    with app.app_context():
        pipe = pipeline(app)
    watched = Watched(app, pipe.converter, pipe.sealer)
    monkeypatch.setattr(pipe, "converter", watched)
    monkeypatch.setattr(pipe, "sealer", watched)
    return watched


def test_nothing_open_while_converting_and_sealing(app, staff, tablet, monkeypatch):
    watched = watch(app, monkeypatch)
    doc_id = issue_document(staff)  # a new case
    with app.app_context():
        case_id = db.session.execute(sa.text("SELECT id FROM cases")).scalar_one()
        db.session.remove()
    from service.documents.registry import DOCUMENT_TYPES
    from tests.helpers import form_data
    doctype = DOCUMENT_TYPES["family_consent"]
    into_case = staff.post(f"/documents/new/{doctype.slug}",
                           data={**form_data(doctype, doctype.sample_data), "case_id": str(case_id)})
    assert into_case.status_code == 302
    link, session_id = start_remote(staff, doc_id)
    tablet.get(link)
    for position in (0, 1):
        data = {"position": position, "read_confirmed": "y", **signature_post()}
        assert tablet.post(f"/podpis/{session_id}", data=data).status_code == 302
    other = issue_document(staff, "zz_power_of_attorney")
    _, printed = download(staff, f"/archive/{other}/print")
    signed = scans.pdf(paper(printed, 150, ("principal:0", "principal_health_consent:0")), 150)
    uploaded = upload(staff, signed, "skan.pdf")  # checked and kept for confirmation: nothing sealed yet
    assert uploaded.status_code == 303
    assert staff.post(uploaded.location, data={"replaces": ""}).status_code == 303
    stages = [stage for stage, *_ in watched.seen]
    # two issues, the last signer's seal, a third issue, the scan's seal
    assert stages == ["convert", "seal"] * 2 + ["seal"] + ["convert", "seal"] + ["seal"], stages
    assert [(stage, False, False) for stage in stages] == watched.seen
    assert register(app)["documents"] == 3
