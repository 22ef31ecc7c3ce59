"""A family's file as its page shows it, in Polish: members with their age, the basis of support
with its data, and each recorded change as a sentence. Plain values for a template; no request."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ..accounts.models import User
from ..documents.context import polish_date
from .models import BASIS_KINDS, RELATIONS, SUPPORTS, ZZ_SITUATIONS, Family, FamilyChange, FamilyMember
from .people import age_on, count_pl, is_adult, years_text
from .registration import BASIS_FIELDS, BASIS_SPECS

_LABELS = {spec.name: spec.label for spec in BASIS_SPECS}
_MEMBER_LABELS = {"full_name": "imię i nazwisko", "pesel": "PESEL", "birth_date": "data urodzenia",
                  "relation": "kim jest w rodzinie", "sex": "płeć", "phone": "telefon", "email": "e-mail"}
SEX_LABELS = {"woman": "kobieta", "man": "mężczyzna"}


@dataclass(frozen=True)
class MemberView:
    """One member as the page lists them."""

    id: int
    full_name: str
    identity: str  # "PESEL 88031504580" or "ur. 4 maja 2019 r." or "brak numeru PESEL i daty urodzenia"
    age: str  # "8 lat, osoba niepełnoletnia", "" when the date of birth is unknown
    adult: bool | None
    relation: str
    contact: str
    left_on: str  # the Polish date the member left, "" while in the family


def member_view(member: FamilyMember, today: dt.date) -> MemberView:
    """A member with the age and majority on `today` (families.people.is_adult: 18, KC art. 10)."""
    born = member.birth_date
    if member.pesel:
        identity = f"PESEL {member.pesel}"
    elif born:
        identity = f"ur. {polish_date(born)}"
    else:
        identity = "brak numeru PESEL i daty urodzenia"
    adult = is_adult(born, today)
    age = "" if born is None else (f"{years_text(age_on(born, today))}, "
                                   f"osoba {'pełnoletnia' if adult else 'niepełnoletnia'}")
    contact = ", ".join(v for v in (member.phone, member.email) if v)
    return MemberView(id=member.id, full_name=member.full_name, identity=identity, age=age, adult=adult,
                      relation=member.relation_label, contact=contact,
                      left_on=polish_date(member.left_on) if member.left_on else "")


def _value(name: str, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if name.endswith("_date") or name == "left_on":
        try:
            return polish_date(value)
        except (TypeError, ValueError):
            return str(value)
    if name == "situation":
        return ZZ_SITUATIONS.get(value, str(value))
    if name == "relation":
        return RELATIONS.get(value, str(value))
    if name == "sex":
        return SEX_LABELS.get(value, str(value))
    return str(value)


def basis_rows(kind: str, basis: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of a basis of support, in Polish: its kind, then its own data in form order."""
    rows = [("Podstawa objęcia wsparciem", BASIS_KINDS.get(kind, ("", kind))[1])]
    rows += [(_LABELS[name], _value(name, basis.get(name))) for name in BASIS_FIELDS.get(kind, ())]
    return rows


def support_label(family: Family) -> str:
    """The support the family gets, in Polish ("do uzupełnienia" when not known)."""
    return SUPPORTS.get(family.support, "do uzupełnienia")


def address_line(street: str, postal_code: str, town: str) -> str:
    """'ul. Zaborska 17, 32-600 Oświęcim' ("" when no part is known)."""
    place = " ".join(v for v in (postal_code, town) if v)
    return ", ".join(v for v in (street, place) if v)


def _basis_text(state: dict[str, Any]) -> str:
    return "; ".join(f"{label}: {value}" for label, value in basis_rows(state.get("basis_kind", ""), state.get("basis") or {}))


def _staff_name(session: Session, user_id: Any) -> str:
    user = session.get(User, user_id) if user_id else None
    return user.full_name if user else "—"


def _sentence(text: str) -> str:
    """The text with its closing full stop, unless it already ends with one (a date's „r.”)."""
    return text if text.endswith(".") else text + "."


def describe_change(session: Session, change: FamilyChange) -> str:
    """One change of a family's file as a Polish sentence (what, from what, to what)."""
    before, after, what = change.before or {}, change.after or {}, change.what
    if what == "registered":
        if after.get("origin") == "document":
            return "Teczkę założono z wystawionego dokumentu."
        if after.get("origin") == "migration":
            return "Teczkę założono z dawnej sprawy."
        return f"Zarejestrowano rodzinę, sprawa {after.get('case_sign', '')}."
    if what in ("address", "correspondence"):
        keys = ("street", "postal_code", "town") if what == "address" else ("corr_street", "corr_postal_code", "corr_town")
        old = address_line(*(before.get(k, "") for k in keys))
        new = address_line(*(after.get(k, "") for k in keys))
        empty = "jak adres zamieszkania" if what == "correspondence" else "—"
        label = "Adres zamieszkania" if what == "address" else "Adres do korespondencji"
        return f"{label}: {old or empty} → {new or empty}."
    if what == "basis":
        return _sentence(f"Podstawa wsparcia: {_basis_text(before)} → {_basis_text(after)}")
    if what == "social_worker":
        return f"Pracownik socjalny prowadzący sprawę: {before.get('name', '—')} → {after.get('name', '—')}."
    if what == "member_added":
        return f"Nowy członek rodziny: {after.get('full_name', '')} ({_value('relation', after.get('relation'))})."
    if what in ("member_changed", "contact"):
        parts = [f"{_MEMBER_LABELS.get(k, k)}: {_value(k, before.get(k))} → {_value(k, v)}"
                 for k, v in after.items() if k != "name"]
        return _sentence(f"Zmiana danych osoby {before.get('name', '')}: {'; '.join(parts)}")
    if what == "member_left":
        return _sentence(f"Osoba {before.get('name', '')} nie należy już do rodziny od {_value('left_on', after.get('left_on'))}")
    if what == "assignment":
        text = (f"Przydzielono asystenta rodziny: {_staff_name(session, after.get('assistant_id'))} "
                f"od {_value('start_date', after.get('start_date'))}")
        if before.get("assistant_id"):
            text += f" (zamiast: {_staff_name(session, before.get('assistant_id'))})"
        return _sentence(text)
    if what == "assignment_ended":
        return _sentence(f"Zakończono przydział asystenta rodziny {_staff_name(session, before.get('assistant_id'))} "
                         f"z dniem {_value('end_date', after.get('end_date'))}")
    if what == "monitoring":
        return _sentence(f"Rozpoczęto monitorowanie funkcjonowania rodziny do dnia "
                         f"{_value('end_date', after.get('monitoring_until'))}")
    return what


def due_text(deadline, today: dt.date) -> str:
    """When a deadline (families.deadlines.Deadline) is due, as the pages say it on `today`:
    'spełnione 10 listopada 2026 r.', 'zaległe od 3 dni', 'do dziś', 'do 5 grudnia 2026 r. (za 4 dni)'
    (neuter, as deadlines.STATUS_LABELS: of „zadanie”)."""
    if deadline.met_on is not None or deadline.status == "met":
        return f"spełnione {polish_date(deadline.met_on)}" if deadline.met_on else "spełnione"
    days = (deadline.due - today).days
    if days < 0:
        return f"zaległe od {count_pl(-days, 'dnia', 'dni', 'dni')}"
    if days == 0:
        return "do dziś"
    soon = f" (za {count_pl(days, 'dzień', 'dni', 'dni')})" if days <= 7 else ""
    return f"do {polish_date(deadline.due)}{soon}"
