"""What the evidence page says of a session's trail: the staff who acted, and its events in Polish.

The events are the session's rows in signing_events (sessions.record), written as they happen;
the page lists those before the seal (the seal closes the page, so what follows it — the family's
copy, its use — stays in the trail and the access log only).
"""
from __future__ import annotations

from signatures.evidence import EvidenceEvent, EvidenceStaff

from ..accounts.models import ROLES, User
from ..extensions import db
from ..roles import Role
from .models import SigningEvent, SigningSession, as_utc

# action -> what the page says (detail, if any, follows after a colon)
ACTIONS = {
    "created": "rozpoczęcie podpisywania",
    "link_opened": "otwarcie jednorazowego linku na urządzeniu do podpisu",
    "link_reused": "odmowa: próba otwarcia użytego linku na innym urządzeniu",
    "refused": "podpis nieprzyjęty",
    "signed": "podpis złożony",
    "cancelled": "anulowanie podpisywania",
    "replaced": "zamknięcie podpisywania",
    "lapsed": "wygaśnięcie podpisywania",
    "device_unlocked": "odblokowanie urządzenia przez pracownika",
    "unlock_refused": "nieudana próba odblokowania urządzenia",
    "family_copy_issued": "wydanie kopii dla rodziny",
    "scan_attached": "dołączenie skanu",
    "paper_requested": "rodzina wybrała podpis na papierze",
}
# refusals: in a very long trail the evidence page may leave some out (signatures, never)
MINOR = frozenset({"refused", "link_reused", "unlock_refused"})


def role_name(role: str, head_title: str = "") -> str:
    """What the pages call the account role `role` (a Role value): its name („asystent rodziny”),
    for the head the office's title of its head (`head_title`, the office profile's „Dyrektor
    Miejskiego Ośrodka Pomocy Społecznej w …”) when the office gives one, as plan.titled_role
    names the head's signature: an office headed by a „Dyrektor” has no „kierownik ośrodka”."""
    title = " ".join(head_title.split())
    if role == Role.HEAD.value and title:
        return title
    return ROLES.get(role, role)


def role_of(user: User, head_title: str = "") -> str:
    """A staff member's role as the pages name it (role_name of the account's role)."""
    return role_name(user.role, head_title)


def person(user: User | None, head_title: str = "") -> str:
    """'Katarzyna Zielińska (asystent rodziny)': a staff member as the page names them (role_of)."""
    if user is None:
        return ""
    return f"{user.full_name} ({role_of(user, head_title)})"


def staff_of(session: SigningSession, head_title: str = "") -> tuple[EvidenceStaff, ...]:
    """Who acted for the office in a tablet session: who started it and, on this device (mode
    "here"), who handed the device over — the same person, who started it on their own device.
    `head_title`: the office's title of its head (role_of)."""
    creator = session.created_by
    role = role_of(creator, head_title)
    if session.mode == "here":
        return (EvidenceStaff("Rozpoczęcie podpisywania i przekazanie urządzenia", creator.full_name, role),)
    return (EvidenceStaff("Rozpoczęcie podpisywania", creator.full_name, role),)


def event_text(event: SigningEvent, users: dict[int, User], head_title: str = "") -> str:
    """One event in Polish: 'podpis nieprzyjęty: Podpisz się jeszcze raz…', with the staff member
    who caused it when there was one ('anulowanie podpisywania – Katarzyna Zielińska (asystent rodziny)';
    the head by `head_title`, role_of)."""
    text = ACTIONS.get(event.action, event.action)
    text = text[0].upper() + text[1:]
    if event.detail:
        text += f": {event.detail[:300]}"
    who = person(users.get(event.user_id), head_title) if event.user_id else ""
    if who and event.action not in ("signed",):  # a staff signer is named in the signing's own line
        text += f" – {who}"
    return text


def events_of(session: SigningSession, head_title: str = "") -> tuple[EvidenceEvent, ...]:
    """The session's events so far, in order, for the evidence page ("completed" is the seal's own);
    `head_title`: the office's title of its head (role_of)."""
    rows = [e for e in session.events if e.action != "completed"]
    ids = {e.user_id for e in rows if e.user_id}
    users = {u.id: u for u in db.session.execute(db.select(User).where(User.id.in_(ids))).scalars()} if ids else {}
    return tuple(EvidenceEvent(at=as_utc(e.at), text=event_text(e, users, head_title), minor=e.action in MINOR)
                 for e in rows)
