"""flask users create / token: staff accounts from the command line."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..documents.text import normalize_line, refusal
from ..extensions import db
from .models import ROLES, User

users_cli = click.Group("users", help="Konta pracowników.")


@users_cli.command("create")
@click.argument("login")
@click.option("--role", type=click.Choice(sorted(ROLES)), required=True, help="Rola pracownika.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True, help="Hasło.")
@click.option("--name", "full_name", default="", help="Imię i nazwisko.")
@with_appcontext
def create(login: str, role: str, password: str, full_name: str) -> None:
    """Create a staff account."""
    if db.session.execute(db.select(User).where(User.login == login)).first():
        raise click.ClickException(f"Konto {login!r} już istnieje.")
    if len(password) < 8:
        raise click.ClickException("Hasło musi mieć co najmniej 8 znaków.")
    # The name is printed on documents and stamps: the same rule as every form field.
    full_name = normalize_line(full_name)
    problem = refusal(full_name)
    if problem:
        raise click.ClickException(f"Imię i nazwisko: {problem}")
    user = User(login=login, role=role, full_name=full_name or login)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Utworzono konto {login} ({ROLES[role]}).")


@users_cli.command("token")
@click.argument("login")
@with_appcontext
def token(login: str) -> None:
    """Print a new API token for an account (the previous one stops working)."""
    user = db.session.execute(db.select(User).where(User.login == login)).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"Nie ma konta {login!r}.")
    value = user.new_api_token()
    db.session.commit()
    click.echo(value)
