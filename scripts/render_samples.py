"""Renders every document type's sample through the real pipeline (form validation, docxtpl,
LibreOffice to PDF/A, the development seal) into PDF files and PNG pages, for people to look at:
header, case sign, date line, title, tables running over a page, signature captions, page numbers.

Run: .venv/bin/python scripts/render_samples.py OUTPUT_DIR [slug ...]
Writes OUTPUT_DIR/<slug>.pdf and OUTPUT_DIR/<slug>-<page>.png (pdftoppm, 100 dpi) for every type in
the registry (or the slugs given), and prints their paths. The output is for looking at, never
committed. Works on a throwaway instance in a temporary folder: an SQLite database, the office
profile from the declared samples (documents/template_vars.py) and the sample filing symbol 4011;
each type is issued by the head when the head may issue it, else by the first role that may, from
its sample_data. Exits with status 1 naming the types whose sample did not validate.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Types whose sample is built from visit records (the tests' helper makes a month of them).
MONTHLY_REPORTS = ("monthly_family_report", "monthly_time_report")
sys.path.insert(0, str(ROOT))


def main(out: Path, slugs: tuple[str, ...] = ()) -> int:
    """Renders the samples into `out`; returns the exit status (0, or 1 when a sample was refused)."""
    work = Path(tempfile.mkdtemp(prefix="asysta-samples-"))
    os.environ["ASYSTA_INSTANCE_DIR"] = str(work / "instance")
    from service import create_app, pipeline
    from service.accounts.models import User, utcnow
    from service.audit import Origin
    from service.documents.json_input import json_to_formdata
    from service.documents.registry import DOCUMENT_TYPES
    from service.documents.template_vars import SAMPLE_OFFICE
    from service.extensions import db
    from service.forms_builder import form_class
    from service.issuing import issue
    from service.office.models import JrwaClass, get_profile
    from service.roles import Role

    out.mkdir(parents=True, exist_ok=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'samples.sqlite'}",
                      "ARCHIVE_DIR": work / "archive", "ADMIN_PASSWORD": "samples-admin-password",
                      "CONVERTER_AUTOSTART": False, "CONVERTERS": 1})
    refused = []
    try:
        with app.test_request_context():
            profile = get_profile()
            for key, value in SAMPLE_OFFICE.items():
                setattr(profile, key, value)
            for row in db.session.execute(db.select(JrwaClass)).scalars():
                row.symbol, row.category = row.symbol or "4011", row.category or "B10"
            profile.confirmed_at = utcnow()
            db.session.commit()
            pipe = pipeline(app)
            pipe.converter.start(wait=True)
            try:
                for doctype in DOCUMENT_TYPES:
                    if slugs and doctype.slug not in slugs:
                        continue
                    role = Role.HEAD if Role.HEAD in doctype.issued_by else sorted(doctype.issued_by)[0]
                    if doctype.slug in MONTHLY_REPORTS:  # the assistant whose visits they are
                        role = Role.ASSISTANT
                    user = User(login=f"samples-{doctype.slug}"[:64], role=role.value, full_name="Anna Nowak")
                    user.set_password("samples-password")
                    db.session.add(user)
                    db.session.commit()
                    sample, family = doctype.sample_data, None
                    if doctype.slug in MONTHLY_REPORTS:
                        # A monthly report rests on visit records: a long month (20 visits) of a
                        # family assigned to the issuer, the report's values built from it.
                        from service.families.models import Family
                        from service.families.monthly_prefill import FAMILY_REPORT, issue_values
                        from service.families import monthly_prefill
                        from tests.families.visits import month_of_visits
                        family_id = month_of_visits(app, user.id, visits=20)
                        family = db.session.get(Family, family_id)
                        if doctype.slug == FAMILY_REPORT:
                            built, _ = monthly_prefill.family_report_prefill(db.session, family, sample)
                        else:
                            built, _ = monthly_prefill.time_report_prefill(db.session, user, sample)
                            family = None
                        sample = issue_values(doctype, {}, built, {k: v for k, v in sample.items()
                                                                   if k not in built})
                    elif doctype.needs:
                        # a type whose rules are the family's file never opens a new case: a family
                        # that has what it needs (an assignment, a plan, the monitoring)
                        from service.families.models import Family
                        from tests.families.visits import family_for
                        family = db.session.get(Family, family_for(app, doctype, user))
                    formdata, errors = json_to_formdata(doctype, sample)
                    form = form_class(doctype)(formdata=formdata, meta={"csrf": False})
                    if errors or not form.validate():
                        refused.append(f"{doctype.slug}: {errors or form.errors}")
                        continue
                    issued = issue(user, Origin(channel="job"), doctype, form.cleaned_data(), family=family)
                    pdf = out / f"{doctype.slug}.pdf"
                    pdf.write_bytes(pipe.store.read(issued.record.pdf_sha256, "pdf"))
                    for old in out.glob(f"{doctype.slug}-*.png"):
                        old.unlink()
                    subprocess.run(["pdftoppm", "-r", "100", "-png", str(pdf), str(out / doctype.slug)], check=True)
                    print(pdf)
                    for page in sorted(out.glob(f"{doctype.slug}-*.png")):
                        print(page)
            finally:
                pipe.converter.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for line in refused:
        print("sample refused:", line, file=sys.stderr)
    return 1 if refused else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), tuple(sys.argv[2:])))
