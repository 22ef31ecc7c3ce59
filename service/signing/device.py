"""What happens on the signing device, for the device pages or any other client of a session: the
one-time link opened, a signature given, a signature refused, paper chosen, the device unlocked.

Each function takes the actor (the staff member logged in on the device, or None for the family
member holding it) and the request's origin (audit.Origin), and reads no request: the event trail
gets them through sessions.Client.of, the access log through audit.record. Proving a staff
signer's password, and whose browser holds the session, is the caller's (device_views).
"""
from __future__ import annotations

from flask import current_app

from signatures.capture import CapturedSignature

from .. import audit, pipeline
from ..accounts.models import User
from ..audit import Origin
from ..extensions import db
from ..office.models import get_profile
from . import sessions
from .plan import PlannedSigner
from .models import SigningSession
from .sessions import Client
from .steps import Signed, sign


def open_link(session: SigningSession, actor: User | None, origin: Origin) -> str:
    """Binds the session of a one-time link to the device that opened it and logs it; returns the
    device secret (for its cookie). Raises SessionClosed ("used" when another device has it)."""
    secret = sessions.claim(session, Client.of(actor, origin))
    audit.record(db.session, actor, origin, "signing_link", "signing_session", session.id)
    return secret


def give_signature(session: SigningSession, step: PlannedSigner, plan: list[PlannedSigner], actor: User | None,
                   origin: Origin, *, captured: CapturedSignature | None, staff: User | None = None,
                   language: str | None = None) -> Signed:
    """Records the signature of `step` (drawn: `captured`; a staff member proven by their password:
    `staff`) and, after the last one, the sealed signed document (steps.sign); logs it.
    `language` is the signing page's language (a key of language.LANGUAGES).
    Raises SessionClosed, IntegrityError (the step was already signed) or what steps.sign raises."""
    profile = get_profile()
    signed = sign(session, step, plan, pipe=pipeline(current_app), office_name=profile.name,
                  location=profile.town, client=Client.of(actor, origin), captured=captured, staff=staff,
                  language=language, head_title=profile.head_title)
    audit.record(db.session, actor, origin, "sign", "signing_session", session.id,
                 detail=f"krok {step.position + 1}")
    return signed


def refuse_signature(session: SigningSession, actor: User | None, origin: Origin, why: str) -> None:
    """Records in the trail that a signature was not accepted, and why (Polish, at most 500 characters)."""
    sessions.record(session, "refused", Client.of(actor, origin), why[:500])
    db.session.commit()


def choose_paper(session: SigningSession, actor: User | None, origin: Origin) -> None:
    """The family chose to sign on paper: the session ends with that reason (sessions.choose_paper);
    logged. Raises SessionClosed when the session is no longer open."""
    sessions.choose_paper(session, Client.of(actor, origin))
    audit.record(db.session, actor, origin, "signing_paper", "signing_session", session.id)


def unlock(session: SigningSession, actor: User, origin: Origin) -> None:
    """The staff member who handed the device over, having given their password, takes it back:
    recorded in the trail and logged."""
    sessions.record(session, "device_unlocked", Client.of(actor, origin))
    audit.record(db.session, actor, origin, "signing_unlock", "signing_session", session.id)


def unlock_refused(session: SigningSession, actor: User | None, origin: Origin) -> None:
    """A wrong password at the device's unlock form: recorded in the trail."""
    sessions.record(session, "unlock_refused", Client.of(actor, origin))
    db.session.commit()
