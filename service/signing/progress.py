"""How far a signing session has come, as plain data: its state, each signer's step and the signed
result. The staff page's poll (staff_views.status) and the API (api/signing.py) add their own links."""
from __future__ import annotations

import datetime as dt

from .models import SignedDocument, SigningSession, as_utc
from .sessions import plan_for


def session_progress(session: SigningSession) -> dict:
    """A session's state and its signers, in plan order; `signed_document` is the version the
    session produced ({"id", "sha256", "size"}) once it is complete, else None. Times are ISO 8601
    strings in UTC; positions count from 1."""
    plan = plan_for(session.document)
    done = {s.position: s for s in session.signatures}
    state = session.state()
    result = result_of(session)
    return {
        "id": session.id, "state": state, "state_label": session.state_label, "mode": session.mode,
        "created_at": _iso(session.created_at), "expires_at": _iso(session.expires_at),
        "link_opened": session.claimed_at is not None,
        "signers": [{"position": p.position + 1, "slot": p.slot, "role": p.role,
                     "name": done[p.position].signer_name if p.position in done else p.name,
                     "signed": p.position in done,
                     "signed_at": _iso(done[p.position].signed_at) if p.position in done else None,
                     "method": done[p.position].method if p.position in done else None} for p in plan],
        "signed_document": {"id": result.id, "sha256": result.pdf_sha256, "size": result.pdf_size}
        if state == "complete" and result is not None else None,
    }


def result_of(session: SigningSession) -> SignedDocument | None:
    """The signed document a session produced, if any."""
    return next((v for v in session.document.signed_versions if v.session_id == session.id), None)


def _iso(moment: dt.datetime | None) -> str | None:
    return as_utc(moment).isoformat() if moment else None
