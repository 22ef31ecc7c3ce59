"""Signing at the same moment over real HTTP: two documents' steps at once, and the same step twice."""
from __future__ import annotations

from functools import partial

import requests
from sqlalchemy import func, select

from service.documents.registry import DOCUMENT_TYPES
from service.extensions import db
from service.signing.models import Signature, SignedDocument
from tests.concurrency.conftest import burst, send
from tests.signing.drawing import signature_post

DOCTYPE = DOCUMENT_TYPES["family_consent"]


def step(tablet: requests.Session, base: str, session_id: str, position: int):
    data = {"position": position, "read_confirmed": "y", **signature_post()}
    return send(partial(tablet.post, data=data), f"{base}/podpis/{session_id}")


def counts(app, session_id: str) -> tuple[list[int], int]:
    with app.app_context():
        positions = sorted(db.session.execute(select(Signature.position).where(
            Signature.session_id == session_id)).scalars())
        signed = db.session.execute(select(func.count()).select_from(SignedDocument).where(
            SignedDocument.session_id == session_id)).scalar_one()
        db.session.remove()
    return positions, signed


def test_two_documents_signed_at_once_and_a_step_sent_twice(app, server, create_user, api_token):
    headers = api_token(create_user("assistant"))
    sessions, tablets = [], []
    for _ in range(2):
        doc = requests.post(f"{server}/api/documents/{DOCTYPE.slug}", json=DOCTYPE.sample_data,
                            headers=headers, timeout=180)
        assert doc.status_code == 201, doc.text[:500]
        started = requests.post(f"{server}/api/documents/{doc.json()['id']}/signing", headers=headers, timeout=60)
        assert started.status_code == 201, started.text[:500]
        tablet = requests.Session()
        opened = tablet.get(started.json()["link"], allow_redirects=False, timeout=60)
        assert opened.status_code == 302
        sessions.append(started.json()["id"])
        tablets.append(tablet)
    a, b = sessions
    for position in (0, 1):  # the second round is the last signer's: assembly and seal
        answers = burst([partial(step, tablets[0], server, a, position),
                         partial(step, tablets[0], server, a, position),  # «Podpisz» pressed twice
                         partial(step, tablets[1], server, b, position)])
        statuses = [x.status for x in answers]
        assert all(s in (200, 302, 409) for s in statuses), [x.body[:300] for x in answers]
        assert statuses[2] == 302  # the other document's signer is not disturbed
        for x in answers:
            if x.status == 409:
                assert "właśnie zapisywany" in x.body.decode()
    for tablet, session_id in zip(tablets, sessions):
        assert counts(app, session_id) == ([0, 1], 1)  # one row per step, one signed version
        done = tablet.get(f"{server}/podpis/{session_id}", timeout=60)
        assert done.status_code == 200 and "Dokument został podpisany" in done.text
