"""Load benchmark: staff using the real service at once (Locust, headless, 127.0.0.1 only).

Starts the service as the Procfile does (gunicorn) on a free local port with a temporary instance
folder (SQLite there, or --database-url), seeds one assistant account per simulated person with
the service's own functions, each with a few registered families assigned to them (an assistant
works with at most 15 families at a time, art. 15 ust. 4, and a document issued without a family
would make a new one), and lets them work for a while: page views, archive searches, reading
their families' files through the API, issuing for their families through the web form (logged
in through the login form, CSRF token read from the form; the family's case chosen) and through
the JSON API (Bearer token; family_id and only what the file cannot know), and signing on a
second device (one-time link, page image, one «Podpisz» per family member; the last one appends
the evidence page and seals).
Prints requests per second, median and p95 per kind of request and the errors, then stops the
service. Indicative on a busy machine; compare runs made on the same quiet machine.

    .venv/bin/python bench/load.py -u 20 -t 120 [--wait 2 6] [--json bench/results/load.json]
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLUGS = ("family_consent", "zz_power_of_attorney")  # the types an assistant issues
SERVER_START_S = 90   # gunicorn up and answering
WARM_UP_S = 180       # first document: LibreOffice starting
STOP_S = 40           # gunicorn's graceful_timeout is 30 s


FAMILIES_EACH = 3     # registered families per simulated assistant (at most 15)
SLUG_FOR = {"family_support": "family_consent", "za_zyciem": "zz_power_of_attorney"}  # by the family's support
ASSISTANT_FIRST_NAMES = (("Katarzyna", True), ("Magdalena", True), ("Tomasz", False), ("Joanna", True),
                         ("Agnieszka", True), ("Piotr", False), ("Ewa", True), ("Monika", True))
SURNAMES = ("Kowalsk", "Nowak", "Wiśniewsk", "Wójcik", "Kamińsk", "Lewandowsk", "Zielińsk", "Szymańsk",
            "Woźniak", "Dąbrowsk", "Kozłowsk", "Jankowsk")


def _pesel(born, serial: int, woman: bool) -> str:
    """A valid PESEL for a made-up person born on `born` (month + 20 for the 2000s)."""
    from stdnum.pl import pesel
    month = born.month + (20 if born.year >= 2000 else 0)
    digits = f"{born:%y}{month:02d}{born:%d}{serial % 1000:03d}{(serial % 5) * 2 + (0 if woman else 1)}"
    return digits + pesel.calc_check_digit(digits)


def _surname(n: int, woman: bool) -> str:
    stem = SURNAMES[n % len(SURNAMES)]
    return stem + ("a" if woman else "i") if stem.endswith("sk") else stem


def family_data(n: int, support: str) -> dict:
    """A made-up family in registration.register_family's shape: a mother and a father with a child
    (family-support act, the social worker's request), or a pregnant woman („Za życiem”)."""
    import datetime as dt
    mother = {"full_name": f"Anna {_surname(n, True)}", "pesel": _pesel(dt.date(1988, 3, 1 + n % 28), n, True),
              "relation": "mother" if support == "family_support" else "pregnant"}
    address = {"street": f"ul. Zaborska {n % 90 + 1} m. {n % 12 + 1}", "postal_code": "32-600", "town": "Oświęcim"}
    if support == "za_zyciem":
        return {"members": [mother], **address, "basis_kind": "zz_application",
                "basis": {"application_date": "2026-11-02", "situation": "pregnancy"}}
    father = {"full_name": f"Jan {_surname(n, False)}", "pesel": _pesel(dt.date(1985, 7, 1 + n % 28), n + 1, False),
              "relation": "father"}
    child = {"full_name": f"Zosia {_surname(n, True)}", "birth_date": dt.date(2016, 5, 4), "relation": "child",
             "sex": "woman"}
    return {"members": [mother, father, child], **address, "basis_kind": "request",
            "basis": {"request_date": "2026-11-02"}}


def seed(count: int) -> None:
    """In a child process (no gevent there): accounts, their families and sample data; prints them as JSON."""
    sys.path.insert(0, str(ROOT))
    from service import create_app
    from service.accounts.models import User
    from service.audit import Origin
    from service.documents.context import office_today
    from service.documents.registry import DOCUMENT_TYPES
    from service.extensions import db
    from service.families.assignments import assign_assistant
    from service.families.models import BASIS_KINDS, Family
    from service.families.registration import register_family
    from service.office.models import JrwaClass, get_profile
    from tests.helpers import confirm_office, form_data

    app = create_app({"CONVERTER_AUTOSTART": False})
    run = secrets.token_hex(3)  # distinct logins if a --database-url is reused
    staff = []
    origin = Origin(channel="job")
    today = office_today()
    with app.app_context():
        confirm_office()  # a fresh instance's profile is empty: nothing could be issued
        head = User(login=f"load{run}head", role="head", full_name="Kierowniczka Ośrodka")
        head.set_password(secrets.token_urlsafe(12))
        db.session.add(head)
        for n in range(count):
            password = secrets.token_urlsafe(12)
            # a real name: documents take the assistant's grammatical gender from it
            first, woman = ASSISTANT_FIRST_NAMES[n % len(ASSISTANT_FIRST_NAMES)]
            user = User(login=f"load{run}{n:02d}", role="assistant", full_name=f"{first} {_surname(n + 5, woman)}")
            user.set_password(password)
            db.session.add(user)
            staff.append({"login": user.login, "password": password, "token": user.new_api_token(), "families": []})
        db.session.commit()
        for n, account in enumerate(staff):
            assistant = db.session.execute(db.select(User).where(User.login == account["login"])).scalar_one()
            for k in range(FAMILIES_EACH):
                # every third family „Za życiem”, the others under the family-support act
                support = "za_zyciem" if k % 3 == 2 else "family_support"
                data = family_data(n * FAMILIES_EACH + k, support)
                family = register_family(db.session, head, origin, data, office=get_profile().letterhead(),
                                         jrwa=db.session.get(JrwaClass, BASIS_KINDS[data["basis_kind"]][0]))
                family = db.session.get(Family, family.id)
                assign_assistant(db.session, head, origin, family, assistant, today)
                account["families"].append({"id": family.id, "case_id": family.case_id, "support": support,
                                            "slug": SLUG_FOR[support], "name": data["members"][0]["full_name"]})
    samples = {slug: DOCUMENT_TYPES[slug].sample_data for slug in SLUGS}
    forms = {slug: {k: ("y" if v is True else v) for k, v in form_data(DOCUMENT_TYPES[slug], data).items()}
             for slug, data in samples.items()}
    # Through the API only what the family's file cannot know; the rest is filled from the file.
    extras = {"family_consent": {"consent_date": today.isoformat()},
              "zz_power_of_attorney": {"scope": "general", "actions": ["obtain_information", "receive_letters"],
                                       "institutions": [{"name": "Urząd Miasta Oświęcim – Wydział Świadczeń "
                                                                 "Rodzinnych"}],
                                       "valid_from": today.isoformat()}}
    json.dump({"staff": staff, "api": extras, "forms": forms}, sys.stdout, default=str)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def procfile_command() -> list[str]:
    """The Procfile's web command, as argv."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return shlex.split(line.removeprefix("web:"))
    raise SystemExit("Procfile has no web: line")


def wait_until(url: str, seconds: float, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the service exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


def warm_up(base: str, token: str, family: dict, body: dict) -> float:
    """One document for a family through the API, so that LibreOffice is up before the clock starts."""
    started = time.monotonic()
    body = {**body, "family_id": family["id"]}
    request = urllib.request.Request(f"{base}/api/documents/{family['slug']}", data=json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {token}",
                                              "Content-Type": "application/json"})
    deadline = started + WARM_UP_S
    while True:
        try:
            with urllib.request.urlopen(request, timeout=WARM_UP_S):
                return time.monotonic() - started  # 2xx
        except urllib.error.HTTPError as exc:
            if exc.code != 503:  # anything but "converters busy" will not get better by waiting
                raise SystemExit(f"the first document failed: HTTP {exc.code} {exc.read()[:500]!r}") from exc
            problem: Exception = exc
        except OSError as exc:
            problem = exc
        if time.monotonic() > deadline:
            raise SystemExit(f"no document within {WARM_UP_S} s: {problem}")
        time.sleep(2)


def stop(server: subprocess.Popen) -> None:
    """SIGTERM to gunicorn's process group (it stops its LibreOffice), SIGKILL if it lingers."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(STOP_S)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-u", "--users", type=int, default=20, help="simulated staff")
    parser.add_argument("-t", "--time", type=float, default=120, help="seconds of load")
    parser.add_argument("--wait", type=float, nargs=2, default=(2.0, 6.0), metavar=("MIN", "MAX"),
                        help="seconds a person pauses between two actions (default 2 6)")
    parser.add_argument("--database-url", help="ASYSTA_DATABASE_URL for the service (default: SQLite)")
    parser.add_argument("--json", type=Path, help="also write the figures here (bench/results/ is ignored by git)")
    parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed is not None:
        return seed(args.seed)

    work = Path(tempfile.mkdtemp(prefix="asysta-load-"))
    port = free_port()
    env = dict(os.environ, ASYSTA_INSTANCE_DIR=str(work / "instance"), HOST="127.0.0.1", PORT=str(port),
               ASYSTA_ADMIN_PASSWORD=secrets.token_urlsafe(16))
    if args.database_url:
        env["ASYSTA_DATABASE_URL"] = args.database_url
    seeded = subprocess.run([sys.executable, __file__, "--seed", str(args.users)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    if seeded.returncode:
        shutil.rmtree(work, ignore_errors=True)
        raise SystemExit(f"seeding failed:\n{seeded.stderr[-3000:]}")
    data = json.loads(seeded.stdout)
    log = work / "gunicorn.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(procfile_command(), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    kept = False
    try:
        wait_until(f"{base}/login", SERVER_START_S, server)
        account = data["staff"][0]
        first = warm_up(base, account["token"], account["families"][0], data["api"][account["families"][0]["slug"]])
        print(f"service up on {base} (first document after {first:.1f} s); "
              f"{args.users} staff for {args.time:.0f} s", flush=True)
        from bench.load_users import run  # imports Locust, which patches the standard library for gevent

        report = run(base, data, users=args.users, seconds=args.time, wait=tuple(args.wait))
    finally:
        stop(server)
        server_errors = log.read_text(errors="replace").count("Traceback") if log.exists() else 0
        if server_errors or server.returncode not in (0, -signal.SIGTERM):
            kept = True
            print(f"\nservice log kept: {log} ({server_errors} tracebacks)")
        if not kept:
            shutil.rmtree(work, ignore_errors=True)
    report["server_tracebacks"] = server_errors
    print(f"server tracebacks: {server_errors}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
