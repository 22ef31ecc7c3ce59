"""The signing services run without a request (the CLI, a batch job, a worker): the actor and the
origin are arguments, and the trail and the access log record them as the pages and the API do."""
from __future__ import annotations

from flask import has_request_context
from sqlalchemy import select

from service.accounts.models import User
from service.archive.models import AccessLog, DocumentRecord
from service.audit import Origin
from service.extensions import db
from service.signing import device, staff as signing_staff
from service.signing.models import SigningEvent
from tests.signing.conftest import issue_document, start_remote


def log_rows(action: str) -> list[AccessLog]:
    return list(db.session.scalars(select(AccessLog).where(AccessLog.action == action).order_by(AccessLog.id)))


def test_start_open_and_cancel_without_a_request(app, staff, assistant):
    doc_id = issue_document(staff)
    job = Origin(channel="job")
    tablet = Origin(ip="10.0.0.7", user_agent="Tablet – przeglądarka", channel="web")
    with app.app_context():
        assert not has_request_context()
        actor = db.session.get(User, assistant.id)
        doc = db.session.get(DocumentRecord, doc_id)
        session, code = signing_staff.start_signing(doc, actor, job, "remote")
        assert len(code) == 8 and session.mode == "remote"
        secret = device.open_link(session, None, tablet)
        assert secret and session.claimed_at is not None
        signing_staff.cancel_signing(session, actor, job)
        assert session.state() == "cancelled"

        events = {e.action: e for e in db.session.scalars(select(SigningEvent).where(
            SigningEvent.session_id == session.id))}
        assert (events["created"].user_id, events["created"].ip) == (assistant.id, "")
        assert (events["link_opened"].user_id, events["link_opened"].ip,
                events["link_opened"].user_agent) == (None, "10.0.0.7", "Tablet – przeglądarka")
        assert events["cancelled"].user_id == assistant.id
        [started] = log_rows("signing_start")
        assert (started.user_id, started.object_id, started.detail, started.channel) == (
            assistant.id, doc_id, "job remote", "job")
        [opened] = log_rows("signing_link")
        assert (opened.user_id, opened.object_id, opened.ip, opened.user_agent) == (
            None, session.id, "10.0.0.7", "Tablet – przeglądarka")
        assert [r.user_id for r in log_rows("signing_cancel")] == [assistant.id]


def test_the_pages_and_the_api_log_a_start_as_before(app, staff, assistant, api_token):
    """The rows the views wrote before the services took over: the pages log the mode, the API
    "api remote"; both with the staff member and the client's address and browser."""
    first, second = issue_document(staff), issue_document(staff)
    start_remote(staff, first)
    response = app.test_client().post(f"/api/documents/{second}/signing", headers={
        **api_token(assistant), "User-Agent": "Skrypt biura/1.0"})
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        rows = [(r.object_id, r.detail, r.user_id, r.ip, r.channel) for r in log_rows("signing_start")]
        assert rows == [(first, "remote", assistant.id, "127.0.0.1", "web"),
                        (second, "api remote", assistant.id, "127.0.0.1", "api")]
        assert log_rows("signing_start")[1].user_agent == "Skrypt biura/1.0"
