"""flask users create / password / token: staff accounts from the command line."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..documents.text import normalize_line
from ..extensions import db
from . import manage
from .models import ROLES
from .passwords import password_problems

users_cli = click.Group("users", help="Konta pracowników.")

REQUIRE_CHANGE_HELP = ("Czy przy pierwszym logowaniu trzeba zmienić hasło (domyślnie tak: hasło nadane "
                       "przez administratora zna więcej niż jedna osoba).")


def _login(typed: str, new: bool = False) -> str:
    """A login given on the command line, read as the login page reads its field (manage.read_login),
    so an account created here can be logged in to. With `new`, ClickException for a login the
    service refuses (manage.login_problem: empty, over 64 characters, an unprintable character)."""
    login = manage.read_login(typed)
    if new:
        problem = manage.login_problem(login)
        if problem:
            raise click.ClickException(problem)
    return login


def _checked_password(password: str, *inputs: str) -> str:
    """The password if it passes the policy of accounts.passwords; ClickException with the reason otherwise."""
    problems = password_problems(password, inputs)
    if problems:
        raise click.ClickException(" ".join(problems))
    return password


@users_cli.command("create")
@click.argument("login")
@click.option("--role", type=click.Choice(sorted(ROLES)), required=True, help="Rola pracownika.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True, help="Hasło.")
@click.option("--name", "full_name", default="", help="Imię i nazwisko.")
@click.option("--require-change/--no-require-change", default=True, help=REQUIRE_CHANGE_HELP)
@with_appcontext
def create(login: str, role: str, password: str, full_name: str, require_change: bool) -> None:
    """Create a staff account (the password must be changed at first login unless --no-require-change)."""
    login = _login(login, new=True)
    if manage.find(login) is not None:
        raise click.ClickException(f"Konto {login!r} już istnieje.")
    # The name is printed on documents and stamps: the same rule as every form field.
    full_name = normalize_line(full_name)
    problem = manage.name_problem(full_name)
    if problem:
        raise click.ClickException(f"Imię i nazwisko: {problem}")
    _checked_password(password, login, full_name)
    try:
        manage.create_account(login, full_name, role, password, must_change=require_change)
    except manage.AccountRefused as exc:  # created by someone else meanwhile
        raise click.ClickException(exc.message) from None
    db.session.commit()
    then = " Przy pierwszym logowaniu trzeba zmienić hasło." if require_change else ""
    click.echo(f"Utworzono konto {login} ({ROLES[role]}).{then}")


@users_cli.command("password")
@click.argument("login")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True, help="Nowe hasło.")
@click.option("--require-change/--no-require-change", default=True, help=REQUIRE_CHANGE_HELP)
@with_appcontext
def set_password(login: str, password: str, require_change: bool) -> None:
    """Set a new password for an account (e.g. a forgotten one); every session of the account ends."""
    login = _login(login)
    user = manage.find(login)
    if user is None:
        raise click.ClickException(f"Nie ma konta {login!r}.")
    _checked_password(password, login, user.full_name)
    ended = manage.set_password(user, password, must_change=require_change)
    db.session.commit()
    click.echo(f"Zmieniono hasło konta {login}; zakończone sesje: {ended}.")


@users_cli.command("token")
@click.argument("login")
@with_appcontext
def token(login: str) -> None:
    """Print a new API token for an account (the previous one stops working)."""
    login = _login(login)
    user = manage.find(login)
    if user is None:
        raise click.ClickException(f"Nie ma konta {login!r}.")
    value = user.new_api_token()
    db.session.commit()
    click.echo(value)
