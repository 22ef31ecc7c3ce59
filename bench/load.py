"""Load benchmark: staff using the real service at once (Locust, headless, 127.0.0.1 only).

Starts the service as the Procfile does (gunicorn) on a free local port with a temporary instance
folder (SQLite there, or --database-url), seeds one assistant account per simulated person with
the service's own functions, and lets them work for a while: page views, archive searches,
issuing through the web form (logged in through the login form, CSRF token read from the form)
and through the JSON API (Bearer token), and signing on a second device (one-time link, page
image, one «Podpisz» per family member; the last one appends the evidence page and seals).
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


def seed(count: int) -> None:
    """In a child process (no gevent there): accounts and sample data; prints them as JSON."""
    sys.path.insert(0, str(ROOT))
    from service import create_app
    from service.accounts.models import User
    from service.documents.registry import DOCUMENT_TYPES
    from service.extensions import db
    from tests.helpers import confirm_office, form_data

    app = create_app({"CONVERTER_AUTOSTART": False})
    run = secrets.token_hex(3)  # distinct logins if a --database-url is reused
    staff = []
    with app.app_context():
        confirm_office()  # a fresh instance's profile is empty: nothing could be issued
        for n in range(count):
            password = secrets.token_urlsafe(12)
            user = User(login=f"load{run}{n:02d}", role="assistant", full_name=f"Asystentka {n + 1}")
            user.set_password(password)
            db.session.add(user)
            staff.append({"login": user.login, "password": password, "token": user.new_api_token()})
        db.session.commit()
    samples = {slug: DOCUMENT_TYPES[slug].sample_data for slug in SLUGS}
    forms = {slug: {k: ("y" if v is True else v) for k, v in form_data(DOCUMENT_TYPES[slug], data).items()}
             for slug, data in samples.items()}
    json.dump({"staff": staff, "api": samples, "forms": forms}, sys.stdout, default=str)


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


def warm_up(base: str, token: str, body: dict) -> float:
    """One document through the API, so that LibreOffice is up before the clock starts."""
    started = time.monotonic()
    request = urllib.request.Request(f"{base}/api/documents/{SLUGS[0]}", data=json.dumps(body).encode(),
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
        first = warm_up(base, data["staff"][0]["token"], data["api"][SLUGS[0]])
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
