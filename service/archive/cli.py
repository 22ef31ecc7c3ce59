"""flask documents verify FILE: does a PDF carry an intact seal of this office?"""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .. import office_seal
from .verify import verify_document

documents_cli = click.Group("documents", help="Dokumenty i ich pieczęcie.")


@documents_cli.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def verify(file: Path) -> None:
    """Report whether FILE carries an intact seal of this office (exit code 1 if not)."""
    result = verify_document(file.read_bytes(), office_seal(current_app))
    report = result.report
    click.echo(report.summary_pl)
    click.echo(f"SHA-256: {result.sha256}")
    if report.signer:
        click.echo(f"Pieczęć: {report.signer}")
    if result.record is not None:
        click.echo(f"W archiwum: {result.record.title}, sprawa {result.record.case.sign}, id {result.record.id}")
    else:
        click.echo("Tego pliku nie ma w archiwum urzędu.")
    if not report.ok:
        raise SystemExit(1)
