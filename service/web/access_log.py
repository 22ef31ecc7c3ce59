"""The access log on a page, for the head of the office and the data-protection officer.

Filtered by person, by days (Europe/Warsaw, both ends included), by action and by a family given
as its case sign; newest first, 50 rows a page. Reading the log is itself logged (RODO art. 5
ust. 2, accountability: who looked at whose traces is a trace too).
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Blueprint, render_template, request
from sqlalchemy import String, and_, cast, false, func, or_, select
from sqlalchemy.orm import joinedload
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from ..accounts.models import User
from ..archive.models import AccessLog, DocumentRecord
from ..families.models import Case, Family
from ..extensions import db
from ..forms_base import FlaskTextForm, text_filters
from ..forms_kinds import PolishDateField, choices
from ..security import allow, log_access
from ..signing.models import FamilyCopy, SignedDocument, SigningSession

bp = Blueprint("access_log", __name__)
PAGE = 50
OFFICE_TIME = ZoneInfo("Europe/Warsaw")
LOG_ROLES = ("head", "dpo")

# Every action the service writes (grep "log_access(" in service/), in Polish; an action missing
# here is shown as its code.
ACTIONS = {
    "login": "logowanie",
    "login_failed": "nieudane logowanie",
    "login_blocked": "logowanie wstrzymane po wielu próbach",
    "logout": "wylogowanie",
    "password_changed": "zmiana własnego hasła",
    "account_create": "założenie konta",
    "account_role": "zmiana roli konta",
    "account_name": "zmiana imienia i nazwiska konta",
    "account_deactivate": "wyłączenie konta",
    "account_reactivate": "ponowne włączenie konta",
    "account_password_reset": "nadanie hasła jednorazowego",
    "list": "przegląd listy",
    "view": "odczyt",
    "download": "pobranie pliku",
    "print": "wydruk",
    "issue": "wystawienie dokumentu",
    "verify": "sprawdzenie pieczęci pliku",
    "edit": "zmiana danych",
    "confirm": "zatwierdzenie danych",
    "signing_start": "rozpoczęcie podpisywania",
    "signing_watch": "podgląd przebiegu podpisywania",
    "signing_cancel": "przerwanie podpisywania",
    "signing_link": "otwarcie linku do podpisu",
    "signing_view": "odczyt strony do podpisu",
    "signing_pdf": "odczyt dokumentu na stronie podpisu",
    "signing_paper": "wybór podpisu na papierze",
    "signing_unlock": "odblokowanie tabletu",
    "sign": "złożenie podpisu",
    "scan_check": "sprawdzenie skanu",
    "scan_preview": "podgląd skanu",
    "scan_attach": "dołączenie skanu",
    "scan_drop": "odrzucenie skanu",
    "family_copy_issue": "wydanie linku do kopii dla rodziny",
    "family_copy_view": "podgląd linku do kopii dla rodziny",
    "family_copy_refused": "odmowa otwarcia kopii dla rodziny",
    "register": "założenie teczki rodziny",
    "search": "wyszukiwanie rodzin",
    "assign": "przydzielenie asystenta rodziny",
    "assignment_end": "zakończenie przydziału asystenta",
    "family_change": "zmiana danych rodziny",
}
OBJECT_TYPES = {
    "document": "dokument",
    "signed_document": "dokument podpisany",
    "signing_session": "podpisywanie",
    "family_copy": "link do kopii dla rodziny",
    "family": "rodzina",
    "archive": "archiwum",
    "office_profile": "profil urzędu",
    "user": "konto",
    "file": "plik",
    "access_log": "dziennik dostępu",
}


def family_ids_for_case_sign(sign: str) -> list[int]:
    """The ids of the families whose case has this sign (any letter case): one, or none."""
    return list(db.session.execute(select(Family.id).join(Case, Family.case_id == Case.id)
                                   .where(func.upper(Case.sign) == sign.upper())).scalars())


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in the office's time zone, as an aware UTC datetime."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=OFFICE_TIME).astimezone(dt.timezone.utc)


def _choice_check(message: str):
    def check(form, field) -> None:
        if field.data and field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(message)
    return check


def _not_before_start(form, field) -> None:
    if field.data and form.date_from.data and field.data < form.date_from.data:
        raise ValidationError("Data końcowa nie może być wcześniejsza niż początkowa.")


class AccessLogFilters(FlaskTextForm):
    """The filters of the page (a GET form: no CSRF token, read from the query string)."""

    person = SelectField("Osoba", [_choice_check("Wybierz osobę z listy.")], validate_choice=False)
    date_from = PolishDateField("Od dnia", [Optional()])
    date_to = PolishDateField("Do dnia", [Optional(), _not_before_start])
    action = SelectField("Czynność", [_choice_check("Wybierz czynność z listy.")], validate_choice=False)
    case_sign = StringField("Znak sprawy rodziny", [Length(max=80, message="Znak sprawy ma najwyżej 80 znaków.")],
                            filters=text_filters("identifier"), description="Np. MOPS.SPS.4011.12.2026")


def family_rows(sign: str):
    """The condition matching the log rows about the family whose case has `sign` (any letter case):
    its documents, their signed versions, signing sessions and family-copy links, and the family
    itself. Returns None when no case and no family has that sign."""
    case_ids = select(Case.id).where(func.upper(Case.sign) == sign.upper())
    documents = select(DocumentRecord.id).where(DocumentRecord.case_id.in_(case_ids))
    family_ids = family_ids_for_case_sign(sign)
    if not db.session.execute(case_ids.limit(1)).first() and not family_ids:
        return None
    signed = select(SignedDocument.id).where(SignedDocument.document_id.in_(documents))
    return or_(
        and_(AccessLog.object_type == "document", AccessLog.object_id.in_(documents)),
        and_(AccessLog.object_type == "signed_document", AccessLog.object_id.in_(signed)),
        and_(AccessLog.object_type == "signing_session", AccessLog.object_id.in_(
            select(SigningSession.id).where(SigningSession.document_id.in_(documents)))),
        and_(AccessLog.object_type == "family_copy", AccessLog.object_id.in_(
            select(cast(FamilyCopy.id, String)).where(FamilyCopy.signed_document_id.in_(signed)))),
        # Rows written since the family's file exists name it (audit.record's family_id); the
        # conditions above find the rows about its documents written before.
        AccessLog.family_id.in_(family_ids) if family_ids else false(),
        and_(AccessLog.object_type == "family", AccessLog.object_id.in_([str(i) for i in family_ids]))
        if family_ids else false(),
    )


def _filters_form(users: list[User]) -> AccessLogFilters:
    form = AccessLogFilters(formdata=request.args, meta={"csrf": False})
    form.person.choices = choices([("", "— wszystkie osoby —")] + [
        (str(u.id), f"{u.full_name} ({u.login}, {u.role_label}{'' if u.active else ', konto wyłączone'})")
        for u in users])
    logged = db.session.execute(select(AccessLog.action).distinct()).scalars().all()
    known = sorted(ACTIONS.items(), key=lambda item: item[1])
    form.action.choices = choices([("", "— wszystkie czynności —")] + known + [
        (code, code) for code in sorted(set(logged) - set(ACTIONS))])
    return form


def _query(form: AccessLogFilters):
    query = select(AccessLog).options(joinedload(AccessLog.user))
    if form.person.data:
        query = query.where(AccessLog.user_id == int(form.person.data))
    if form.date_from.data:
        query = query.where(AccessLog.at >= day_start(form.date_from.data))
    if form.date_to.data:
        query = query.where(AccessLog.at < day_start(form.date_to.data + dt.timedelta(days=1)))
    if form.action.data:
        query = query.where(AccessLog.action == form.action.data)
    if form.case_sign.data:
        condition = family_rows(form.case_sign.data)
        if condition is None:
            form.case_sign.errors.append(f"Nie ma sprawy o znaku {form.case_sign.data}.")
            return None
        query = query.where(condition)
    return query.order_by(AccessLog.at.desc(), AccessLog.id.desc())


def _row(entry: AccessLog, names: dict[str, str]) -> dict[str, str]:
    who = (f"{entry.user.full_name} ({entry.user.role_label})" if entry.user is not None
           else "osoba niezalogowana")
    kind = OBJECT_TYPES.get(entry.object_type, entry.object_type)
    target = names.get(entry.object_id, entry.object_id) if entry.object_type == "user" else entry.object_id
    return {"at": format_datetime(entry.at, "d MMMM y, HH:mm:ss", tzinfo=OFFICE_TIME, locale="pl_PL"),
            "who": who, "action": ACTIONS.get(entry.action, entry.action),
            "object": f"{kind} {target}".strip(), "ip": entry.ip, "detail": entry.detail}


@bp.route("/access-log")
@allow(*LOG_ROLES)
def index():
    """The access log, newest first, PAGE rows a page, with the filters of AccessLogFilters.

    Wrong filters (a date that does not exist, an end before the start, an unknown case sign)
    answer 422 with the message at the field and no rows; the page itself is logged either way.
    """
    users = db.session.execute(select(User).order_by(User.full_name, User.login)).scalars().all()
    form = _filters_form(users)
    page = max(request.args.get("page", 1, type=int), 1)
    rows, has_more = [], False
    query = _query(form) if form.validate() else None
    if query is not None:
        found = db.session.execute(query.limit(PAGE + 1).offset((page - 1) * PAGE)).scalars().all()
        has_more, found = len(found) > PAGE, found[:PAGE]
        names = {str(u.id): f"{u.full_name} ({u.login})" for u in users}
        rows = [_row(entry, names) for entry in found]
    log_access("list", "access_log", detail=request.query_string.decode(errors="replace")[:300])
    filters = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("access_log.html", form=form, rows=rows, page=page, has_more=has_more,
                           filters=filters), 422 if form.errors else 200
