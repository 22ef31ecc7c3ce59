"""flask families register / list / show / assign: families' files from the command line.

The same services as the pages and the API (registration, search, assignments), acting as the
staff member named by --as, with audit.CLI as the origin (no request context); the same roles and
the same who-sees-whom rules (families.access): a family the account may not read is reported as
not existing.
"""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from ..accounts.manage import read_login
from ..accounts.models import ROLES, User
from ..audit import CLI, record
from ..documents.context import office_today, polish_date
from ..documents.json_input import parse_json
from ..extensions import db
from ..office.models import JrwaClass, get_profile, issuing_paused
from .access import ASSIGNERS, FAMILY_READERS, REGISTRARS, visible_family
from .assignments import AssignmentRefused, assign_assistant
from .json_input import json_path, read_assignment_json, read_family_json
from .models import BASIS_KINDS, SUPPORTS, Family
from .people import is_adult
from .registration import RegistrationRefused, register_family
from .search import MAX_PAGE, search_families

families_cli = click.Group("families", help="Teczki rodzin: zakładanie, wyszukiwanie, odczyt, przydział asystenta.")
AS_HELP = "Login pracownika, w którego imieniu działa polecenie (jego rola i dostęp do rodzin)."


def _actor(login: str, roles: frozenset[str], what: str) -> User:
    """The active account named by --as, if its role may do `what`; ClickException otherwise."""
    user = db.session.execute(select(User).where(User.login == read_login(login))).scalar_one_or_none()
    if user is None or not user.active:
        raise click.ClickException(f"Nie ma aktywnego konta o loginie {login!r}.")
    if user.role not in roles:
        raise click.ClickException(f"Rola „{ROLES.get(user.role, user.role)}” nie pozwala {what}.")
    return user


def _family(actor: User, family_id: str) -> Family:
    family = visible_family(actor, family_id)
    if family is None:
        raise click.ClickException(f"Nie ma rodziny nr {family_id} (albo nie masz do niej dostępu).")
    return family


def _refuse(errors: dict[str, list[str]]) -> None:
    """Prints each error as "path: message" and stops with exit code 1."""
    for path, messages in errors.items():
        for message in messages:
            click.echo(f"{path or 'plik'}: {message}", err=True)
    raise click.ClickException("Nic nie zapisano: popraw dane i spróbuj ponownie.")


@families_cli.command("register")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "login", required=True, help=AS_HELP)
@with_appcontext
def register(file: Path, login: str) -> None:
    """Register a family from FILE.json (the shape of POST /api/families) and open its case."""
    actor = _actor(login, REGISTRARS, "zakładać teczek rodzin")
    paused = issuing_paused()
    if paused:
        raise click.ClickException(paused)
    try:
        # utf-8-sig: Windows Notepad saves UTF-8 with a byte order mark, which is no error
        payload = parse_json(file.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise click.ClickException(f"Plik nie jest poprawnym JSON-em w UTF-8 ({exc}).") from None
    data, errors = read_family_json(payload)
    if errors:
        _refuse(errors)
    try:
        family = register_family(db.session, actor, CLI, data, office=get_profile().letterhead(),
                                 jrwa=db.session.get(JrwaClass, BASIS_KINDS[data["basis_kind"]][0]))
    except RegistrationRefused as exc:
        _refuse({json_path(k): v for k, v in exc.errors.items()})
    click.echo(f"Założono teczkę rodziny nr {family.id}, sprawa {family.case.sign}.")


@families_cli.command("list")
@click.option("--q", "query", default="", help="Imię i nazwisko członka rodziny (bez względu na polskie litery) "
                                                "albo dokładny PESEL.")
@click.option("--page", default=1, type=click.IntRange(1, MAX_PAGE), help="Która strona wyników (od 1).")
@click.option("--as", "login", required=True, help=AS_HELP)
@with_appcontext
def list_families(query: str, page: int, login: str) -> None:
    """List the families the account may read (newest first), optionally found by --q."""
    actor = _actor(login, FAMILY_READERS, "przeglądać rodzin")
    found = search_families(db.session, actor, CLI, query, page=page)
    if not found.families:
        click.echo("Nie znaleziono rodzin.")
    for family in found.families:
        current = family.current_assignment
        assistant = f"asystent: {current.assistant.full_name}" if current else "bez asystenta"
        click.echo(f"{family.id}\t{family.case.sign}\t{family.name}\t{assistant}")
    if found.has_more:
        click.echo(f"Więcej wyników: --page {found.page + 1}")


@families_cli.command("show")
@click.argument("family_id")
@click.option("--as", "login", required=True, help=AS_HELP)
@with_appcontext
def show(family_id: str, login: str) -> None:
    """Print the family's file: members, address, basis, staff, assignments, documents."""
    actor = _actor(login, FAMILY_READERS, "przeglądać rodzin")
    family = _family(actor, family_id)
    today = office_today()
    lines = [f"Rodzina nr {family.id}: {family.name}", f"Sprawa: {family.case.sign} – {family.case.title}",
             f"Wsparcie: {SUPPORTS.get(family.support, 'do ustalenia')}",
             f"Podstawa: {BASIS_KINDS.get(family.basis_kind, ('', family.basis_kind))[1]}"]
    lines += [f"  {key}: {value}" for key, value in (family.basis or {}).items()]
    lines.append("Członkowie rodziny:")
    for m in family.members:
        adult = {True: "pełnoletnia", False: "niepełnoletnia", None: "wiek nieznany"}[is_adult(m.birth_date, today)]
        born = polish_date(m.birth_date) if m.birth_date else "data urodzenia nieznana"
        left = f"; poza rodziną od {polish_date(m.left_on)}" if m.left_on else ""
        lines.append(f"  {m.full_name} – {m.relation_label}, {born}, osoba {adult}{left}")
    lines.append(f"Adres: {family.street}, {family.postal_code} {family.town}")
    if family.corr_street:
        lines.append(f"Adres do korespondencji: {family.corr_street}, {family.corr_postal_code} {family.corr_town}")
    worker = family.social_worker
    lines.append(f"Pracownik socjalny: {worker.full_name} ({worker.login})" if worker else "Pracownik socjalny: brak")
    lines.append("Przydziały asystentów:" if family.assignments else "Przydziały asystentów: brak")
    for a in family.assignments:
        until = f"do {polish_date(a.end_date)}" if a.end_date else "nadal"
        lines.append(f"  {a.assistant.full_name} ({a.assistant.login}) od {polish_date(a.start_date)} {until}")
    lines.append("Dokumenty:" if family.case.documents else "Dokumenty: brak")
    lines += [f"  {d.id}  {d.title}" for d in family.case.documents]
    record(db.session, actor, CLI, "view", "family", family.id, detail="cli", family_id=family.id)
    click.echo("\n".join(lines))


@families_cli.command("assign")
@click.argument("family_id")
@click.argument("assistant_login")
@click.option("--from", "start", required=True, help="Data rozpoczęcia przydziału, RRRR-MM-DD.")
@click.option("--as", "login", required=True, help=AS_HELP)
@with_appcontext
def assign(family_id: str, assistant_login: str, start: str, login: str) -> None:
    """Assign ASSISTANT_LOGIN to the family from --from (ends the current assignment)."""
    actor = _actor(login, ASSIGNERS, "przydzielać asystentów rodziny")
    family = _family(actor, family_id)
    found, errors = read_assignment_json(db.session, {"assistant": assistant_login, "start_date": start})
    if errors:
        _refuse({{"start_date": "--from", "assistant": "asystent"}.get(k, k): v for k, v in errors.items()})
    assistant, start_date = found
    try:
        assign_assistant(db.session, actor, CLI, family, assistant, start_date)
    except AssignmentRefused as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Przydzielono asystenta rodziny {assistant.full_name} rodzinie nr {family.id} "
               f"od {polish_date(start_date)}")  # the date ends with "r."
