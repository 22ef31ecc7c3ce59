"""Renders every document type's sample through the real pipeline (form validation, docxtpl,
LibreOffice to PDF/A, the development seal) into PDF files and PNG pages, for people to look at:
header, case sign, date line, title, tables running over a page, signature captions, page numbers.

Run: .venv/bin/python scripts/render_samples.py [--dpi N] OUTPUT_DIR [slug ...]
Writes OUTPUT_DIR/<name>.pdf and OUTPUT_DIR/<name>-<page>.png (pdftoppm, N dpi, 70 by default) for
every type in the registry (or the slugs given), and prints their paths. <name> is the slug, and
some types have a second render beside their sample: `work_plan-long` (5 goals, 15 actions: the
actions table runs over pages with its header row repeated) and `visit_record-family` (issued for
a family with a plan in force, the goals worked on ticked). The output is for looking at, never
committed. Works on a throwaway instance in a temporary folder: an SQLite database, the office
profile from the declared samples (documents/template_vars.py) and each filing class's own
symbol (tests.helpers.TEST_CLASSES: the time report is filed under the staff-time class, the
family documents under the family-support one); each type is issued by the head when the head may
issue it, else by the first role that may, from its sample_data, by a staff member named as the
samples name that role. Exits with status 1 naming the types whose sample did not validate.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Types whose sample is built from visit records (the tests' helper makes a month of them).
MONTHLY_REPORTS = ("monthly_family_report", "monthly_time_report")
# Who issues a sample, by role: the names the samples give the staff (the head is the office
# profile's head_name), so that no signature caption names the head under an assistant's work.
STAFF_NAMES = {"head": "Anna Nowak", "assistant": "Katarzyna Zielińska", "social_worker": "Tomasz Wójcik"}
sys.path.insert(0, str(ROOT))

# work_plan-long: five goals as an assistant writes them, three actions each (scope, expected effect).
LONG_PLAN = (
    ("Uregulowanie zaległości czynszowych i planowanie budżetu domowego.", (
        ("Wspólne sporządzenie miesięcznego budżetu domowego.", "Budżet spisany i stosowany co miesiąc."),
        ("Złożenie w spółdzielni wniosku o rozłożenie zaległości na raty.", "Porozumienie ze spółdzielnią."),
        ("Cotygodniowe omawianie wydatków z asystentem rodziny.", "Opłaty wnoszone w terminie."))),
    ("Regularne uczęszczanie syna do szkoły i poprawa jego wyników w nauce.", (
        ("Spotkanie z wychowawcą i pedagogiem szkolnym.", "Ustalony sposób kontaktu ze szkołą."),
        ("Zapisanie syna na zajęcia wyrównawcze z matematyki.", "Ocena co najmniej dostateczna na semestr."),
        ("Codzienne sprawdzanie przez matkę dziennika elektronicznego.", "Frekwencja powyżej 90%."))),
    ("Podjęcie stałego zatrudnienia przez ojca.", (
        ("Rejestracja w Powiatowym Urzędzie Pracy.", "Status osoby bezrobotnej, oferty pracy."),
        ("Przygotowanie życiorysu i listu motywacyjnego.", "Dokumenty gotowe do wysłania."),
        ("Udział w kursie operatora wózka widłowego.", "Uprawnienia operatora."))),
    ("Poprawa organizacji dnia i opieki nad młodszymi dziećmi.", (
        ("Ustalenie stałych pór posiłków, nauki i snu dzieci.", "Plan dnia wywieszony i przestrzegany."),
        ("Zapisanie córki do przedszkola.", "Córka uczęszcza do przedszkola."),
        ("Udział matki w warsztatach dla rodziców.", "Zaświadczenie o ukończeniu warsztatów."))),
    ("Poprawa stanu zdrowia matki.", (
        ("Umówienie wizyty u lekarza rodzinnego.", "Wizyta odbyta, zalecenia spisane."),
        ("Regularne przyjmowanie przepisanych leków.", "Leki przyjmowane zgodnie z zaleceniem."),
        ("Wizyta kontrolna u specjalisty.", "Wizyta kontrolna odbyta."))),
)


def long_plan(sample: dict) -> dict:
    """The work plan's sample with LONG_PLAN's 5 goals of 3 actions each (15 actions), due in the
    months after the plan's date."""
    start = dt.date.fromisoformat(sample["plan_date"])
    goals = [{"goal_no": str(g), "goal": goal} for g, (goal, _) in enumerate(LONG_PLAN, 1)]
    actions = [{"goal_no": str(g), "scope": scope, "expected_effect": effect,
                "deadline": (start + dt.timedelta(days=30 * (a + 1))).isoformat(),
                "responsible": "Anna Kowalska z asystentem rodziny" if a % 2 else "Jan Kowalski"}
               for g, (_, rows) in enumerate(LONG_PLAN, 1) for a, (scope, effect) in enumerate(rows)]
    return {**sample, "goals": goals, "actions": actions}


def main(out: Path, slugs: tuple[str, ...] = (), dpi: int = 70) -> int:
    """Renders the samples into `out`; returns the exit status (0, or 1 when a sample was refused).
    The instance lives in a temporary folder, removed at the end; ASYSTA_INSTANCE_DIR is restored."""
    work = Path(tempfile.mkdtemp(prefix="asysta-samples-"))
    saved_instance = os.environ.get("ASYSTA_INSTANCE_DIR")
    os.environ["ASYSTA_INSTANCE_DIR"] = str(work / "instance")
    try:
        return _render(out, slugs, dpi, work)
    finally:
        if saved_instance is None:
            os.environ.pop("ASYSTA_INSTANCE_DIR", None)
        else:
            os.environ["ASYSTA_INSTANCE_DIR"] = saved_instance
        shutil.rmtree(work, ignore_errors=True)


def _render(out: Path, slugs: tuple[str, ...], dpi: int, work: Path) -> int:
    from service import create_app, pipeline
    from service.accounts.models import User, utcnow
    from service.audit import Origin
    from service.documents.json_input import json_to_formdata
    from service.documents.registry import DOCUMENT_TYPES
    from service.documents.template_vars import SAMPLE_OFFICE
    from service.extensions import db
    from service.families.facts import facts_of
    from service.families.models import Family
    from service.forms_builder import fit_to_family, form_class
    from service.issuing import issue
    from service.office.models import JrwaClass, get_profile
    from service.roles import Role
    from tests.helpers import TEST_CLASSES

    out.mkdir(parents=True, exist_ok=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'samples.sqlite'}",
                      "ARCHIVE_DIR": work / "archive", "ADMIN_PASSWORD": "samples-admin-password",
                      "CONVERTER_AUTOSTART": False, "CONVERTERS": 1})
    refused = []
    with app.test_request_context():
        profile = get_profile()
        for key, value in SAMPLE_OFFICE.items():
            setattr(profile, key, value)
        for key, (symbol, category) in TEST_CLASSES.items():  # each class its own symbol
            row = db.session.get(JrwaClass, key)
            row.symbol, row.category = symbol, category
        profile.confirmed_at = utcnow()
        db.session.commit()
        pipe = pipeline(app)
        pipe.converter.start(wait=True)

        def render(name, doctype, user, sample, family=None) -> None:
            """Validates `sample` as the form does, issues it and writes <name>.pdf and its pages."""
            formdata, errors = json_to_formdata(doctype, sample)
            form = form_class(doctype)(formdata=formdata, meta={"csrf": False})
            fit_to_family(form, facts_of(family) if family is not None else None)
            if errors or not form.validate():
                refused.append(f"{name}: {errors or form.errors}")
                return
            issued = issue(user, Origin(channel="job"), doctype, form.cleaned_data(), family=family)
            pdf = out / f"{name}.pdf"
            pdf.write_bytes(pipe.store.read(issued.record.pdf_sha256, "pdf"))
            for old in out.glob(f"{name}-*.png"):
                old.unlink()
            subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(out / name)], check=True)
            print(pdf)
            for page in sorted(out.glob(f"{name}-*.png")):
                print(page)

        try:
            for doctype in DOCUMENT_TYPES:
                if slugs and doctype.slug not in slugs:
                    continue
                role = Role.HEAD if Role.HEAD in doctype.issued_by else sorted(doctype.issued_by)[0]
                if doctype.slug in MONTHLY_REPORTS:  # the assistant whose visits they are
                    role = Role.ASSISTANT
                user = User(login=f"samples-{doctype.slug}"[:64], role=role.value,
                            full_name=STAFF_NAMES.get(role.value, "Anna Nowak"))
                user.set_password("samples-password")
                db.session.add(user)
                db.session.commit()
                sample, family = doctype.sample_data, None
                if doctype.slug in MONTHLY_REPORTS:
                    # A monthly report rests on visit records: a long month (20 visits) of a
                    # family assigned to the issuer, the report's values built from it.
                    from service.families import monthly_prefill
                    from service.families.monthly_prefill import FAMILY_REPORT, issue_values
                    from tests.families.visits import month_of_visits
                    family = db.session.get(Family, month_of_visits(app, user.id, visits=20))
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
                    from tests.families.visits import family_for
                    family = db.session.get(Family, family_for(app, doctype, user))
                render(doctype.slug, doctype, user, sample, family)
                if doctype.slug == "work_plan":
                    render("work_plan-long", doctype, user, long_plan(sample), family)
                elif doctype.slug == "visit_record":
                    # a family with a plan of two goals, both worked on at this visit
                    from tests.families.visits import month_of_visits
                    family = db.session.get(Family, month_of_visits(app, user.id, visits=0))
                    render("visit_record-family", doctype, user, {**sample, "goals_worked": ["1", "2"]}, family)
        finally:
            pipe.converter.stop()
    for line in refused:
        print("sample refused:", line, file=sys.stderr)
    return 1 if refused else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the folder for the PDF and PNG files")
    parser.add_argument("slugs", nargs="*", help="the types to render (default: all)")
    parser.add_argument("--dpi", type=int, default=70, help="the PNG pages' resolution (default: 70)")
    args = parser.parse_args()
    sys.exit(main(args.out, tuple(args.slugs), args.dpi))
