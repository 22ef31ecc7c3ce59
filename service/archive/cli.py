"""flask documents verify FILE: does a PDF carry an intact seal of this office?"""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from .. import office_seal
from ..uploads import UploadRefused, UploadsBusy
from .verify import verify_document

documents_cli = click.Group("documents", help="Dokumenty i ich pieczęcie.")


@documents_cli.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def verify(file: Path) -> None:
    """Report whether FILE carries an intact seal of this office (exit code 1 if not)."""
    try:
        result = verify_document(file.read_bytes(), office_seal(current_app))
    except (UploadRefused, UploadsBusy) as exc:  # the same limits as the page's
        click.echo(str(exc))
        raise SystemExit(1) from None
    report = result.report
    click.echo(report.summary_pl)
    click.echo(f"SHA-256: {result.sha256}")
    if report.signer:
        click.echo(f"Pieczęć: {report.signer}")
    if result.evidence is not None:
        click.echo(f"Karta dowodowa podpisów: dokument {result.evidence.document_id}, sprawa "
                   f"{result.evidence.case_sign}")
        click.echo(f"  SHA-256 dokumentu okazanego podpisującym: {result.evidence.shown_pdf_sha256}")
        for n, signer in enumerate(result.evidence.signers, 1):
            click.echo(f"  Podpis {n}: {signer.name} – {signer.role}; {signer.method}; {signer.signed_at}")
        if not report.ok:
            click.echo("  Uwaga: pieczęć nie potwierdza tej karty – jej treści nie można ufać.")
    if result.archived_as:
        click.echo(f"W archiwum: {result.archived_as}")
    else:
        click.echo("Tego pliku nie ma w archiwum urzędu.")
    if not report.ok:
        raise SystemExit(1)
