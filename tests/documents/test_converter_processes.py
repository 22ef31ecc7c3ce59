"""Who runs LibreOffice, on which profile, and that nothing outlives its owner: real processes.

The service is a real `flask --app service run` or gunicorn on a free port with its own instance
folder and one converter; CLI commands and scripts are real subprocesses on the same folder. These
tests do not use the database-parametrised `app` fixture: they run once, on SQLite.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from service.documents.converter import processes, profile_processes
from service.documents.registry import DOCUMENT_TYPES

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DOCTYPE = DOCUMENT_TYPES["family_consent"]


def wait_for(condition, seconds: float = 60.0, what="condition"):
    """Polls until condition() is truthy and returns it; fails the test after `seconds`.
    what: the failure message, or a function returning it (called only on failure)."""
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        if time.monotonic() >= deadline:
            pytest.fail(f"{what() if callable(what) else what}: not met within {seconds:g} s")
        time.sleep(0.1)
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def is_soffice(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].endswith(b"soffice.bin")
    except OSError:
        return False


def processes_under(folder: Path) -> list[int]:
    """Pids of live processes whose command line names anything inside folder."""
    prefixes = (str(folder) + "/", folder.as_uri() + "/")
    return [pid for pid, _, argv in processes()
            if any(p in a for a in argv for p in prefixes)]


def describe(pids: list[int]) -> str:
    """pid, parent and command of each process, for failure messages."""
    rows = []
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        rows.append(f"{pid} (parent {stat[stat.rindex(')') + 2:].split()[1]}) {argv[0].decode()[-40:]}")
    return "; ".join(rows) or "none"


class Instance:
    """An instance folder with the environment every process of these tests gets."""

    def __init__(self, tmp_path: Path) -> None:
        self.dir = tmp_path / "instance"
        self.tmp = tmp_path / "tmp"  # TMPDIR of every child: a private converter folder shows here
        self.tmp.mkdir(parents=True)
        self.profiles = self.dir / "libreoffice"
        self.log = tmp_path / "service.log"
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("ASYSTA_", "FLASK_", "TEST_DATABASE", "WERKZEUG_"))}
        self.env.update(ASYSTA_INSTANCE_DIR=str(self.dir), ASYSTA_CONVERTERS="1", TMPDIR=str(self.tmp),
                        ASYSTA_ADMIN_PASSWORD="admin-haslo-testowe", PYTHONUNBUFFERED="1")
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def flask(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(BIN / "flask"), "--app", "service", *args], cwd=ROOT, env={**self.env, **env},
                              capture_output=True, text=True, timeout=120)

    def python(self, code: str, **env: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env={**self.env, **env},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def start(self, server: str) -> None:
        """Starts the service and waits until it answers and its converter is warm (no document)."""
        if server == "flask":
            argv = [str(BIN / "flask"), "--app", "service", "run", "--port", str(self.port), "--no-reload"]
            env = self.env
        else:
            argv = [str(BIN / "gunicorn"), "-c", "python:service.gunicorn_conf", "--control-socket",
                    str(self.dir.parent / "gunicorn.ctl"), "service:create_app()"]
            env = {**self.env, "HOST": "127.0.0.1", "PORT": str(self.port), "ASYSTA_THREADS": "4"}
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_for(lambda: self.answers() or self.proc.poll() is not None, 90, "the service answers")
        assert self.proc.poll() is None, self.log.read_text()
        # Warm means the pool's warm-up conversion has run (a fresh profile makes LibreOffice
        # restart itself once before that, so an earlier soffice.bin is not the one that stays).
        converter_log = self.profiles / "converter-0.log"
        wait_for(lambda: converter_log.exists() and b"Exporting to" in converter_log.read_bytes(), 90,
                 "a warm converter on the service's profile, before any document")
        wait_for(lambda: self.soffice(), 30, "its soffice.bin")

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/login", timeout=5) as r:
                return r.status == 200
        except OSError:
            return False

    def soffice(self) -> list[int]:
        """The soffice.bin processes on the service's converter profile."""
        return [pid for pid in profile_processes(self.profiles / "0") if is_soffice(pid)]

    def issue(self, token: str) -> tuple[int, dict, dict]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/documents/{DOCTYPE.slug}", method="POST",
            data=json.dumps(DOCTYPE.sample_data).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as r:
                return r.status, dict(r.headers), json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), json.loads(e.read() or b"{}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(30)


@pytest.fixture
def instance(tmp_path):
    inst = Instance(tmp_path)
    yield inst
    inst.stop()
    # Whatever a test left running on these folders is a failure of that test; end it here.
    for pid in processes_under(tmp_path):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def create_user(instance: Instance, login: str) -> None:
    created = instance.flask("users", "create", login, "--role", "assistant", "--password", f"haslo-testowe-{login}-1",
                             "--name", "Katarzyna Zielińska")
    assert created.returncode == 0, created.stderr


def confirm_office(instance: Instance) -> None:
    """The instance's office profile filled and confirmed (tests.helpers.confirm_office), so staff can issue."""
    confirm = instance.python("""
        from service import create_app
        from tests.helpers import confirm_office
        with create_app().app_context():
            confirm_office()
    """)
    out, err = confirm.communicate(timeout=120)
    assert confirm.returncode == 0, err


def test_cli_commands_while_the_service_converts_do_not_disturb_it(instance):
    instance.start("flask")
    create_user(instance, "ar")
    confirm_office(instance)
    token = instance.flask("users", "token", "ar").stdout.strip()
    [soffice] = instance.soffice()
    service_processes = set(profile_processes(instance.profiles / "0"))
    assert instance.issue(token)[0] == 201

    # Documents in flight while CLI commands (each loads the whole application) run next to them.
    results: list[int] = []
    worker = threading.Thread(target=lambda: results.extend(instance.issue(token)[0] for _ in range(4)))
    worker.start()
    create_user(instance, "br")
    for _ in range(2):
        other = instance.flask("users", "token", "br")
        assert other.returncode == 0, other.stderr
    worker.join(300)
    assert results == [201] * 4

    assert instance.issue(token)[0] == 201
    assert instance.soffice() == [soffice]  # the same LibreOffice served everything
    assert set(profile_processes(instance.profiles / "0")) == service_processes
    assert processes_under(instance.tmp) == []  # the CLI started no converter of its own either
    assert list(instance.tmp.glob("asysta-lo-*")) == []


SCRIPT_NO_CONVERSION = """
    from service import create_app
    app = create_app()
    with app.app_context():
        pass
    print("done")
"""

SCRIPT_CONVERTS = """
    import sys, time
    from service import converter_pool, create_app
    from tests.documents.test_convert import make_docx
    app = create_app()
    pool = converter_pool(app)
    assert pool.convert(make_docx(1)).startswith(b"%PDF")
    print(pool.profile_root, flush=True)
    if sys.argv[1:] == ["wait"]:
        time.sleep(600)  # the test kills us
"""


def test_a_script_that_only_loads_the_app_starts_no_converter(instance):
    # FLASK_RUN_FROM_CLI as in a script started from a flask command: it must not mean "serving".
    script = instance.python(SCRIPT_NO_CONVERSION, FLASK_RUN_FROM_CLI="true")
    out, err = script.communicate(timeout=120)
    assert script.returncode == 0, err
    assert out.strip() == "done"
    assert not instance.profiles.exists()  # the service's profile folders were not even created
    assert list(instance.tmp.glob("asysta-lo-*")) == []
    assert processes_under(instance.dir) == [] and processes_under(instance.tmp) == []


def test_a_script_that_converts_uses_its_own_folder_and_leaves_nothing(instance):
    instance.start("gunicorn")
    [soffice] = instance.soffice()

    script = instance.python(SCRIPT_CONVERTS)
    out, err = script.communicate(timeout=180)
    assert script.returncode == 0, err
    root = Path(out.strip())
    assert root.parent == instance.tmp and root.name.startswith("asysta-lo-")  # never the service's
    assert not root.exists()  # removed at exit...
    assert processes_under(root) == []  # ...with its LibreOffice
    assert instance.soffice() == [soffice]


def test_a_script_killed_with_sigkill_takes_its_libreoffice_with_it(instance):
    script = subprocess.Popen([sys.executable, "-c", textwrap.dedent(SCRIPT_CONVERTS), "wait"], cwd=ROOT,
                              env=instance.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        root = Path(script.stdout.readline().strip())
        assert root.parent == instance.tmp, script.stderr.read() if script.poll() is not None else root
        running = processes_under(root)
        assert any(is_soffice(pid) for pid in running)
        script.kill()  # SIGKILL: no exit handler runs
        script.wait(30)
        wait_for(lambda: not processes_under(root), 60,
                 lambda: f"LibreOffice of a killed script ends ({describe(processes_under(root))})")
    finally:
        script.kill()
        script.communicate()


@pytest.mark.parametrize("server, signum", [
    ("flask", signal.SIGTERM), ("flask", signal.SIGINT), ("flask", signal.SIGKILL),
    ("gunicorn", signal.SIGTERM), ("gunicorn", signal.SIGKILL)])
def test_stopping_the_service_stops_its_libreoffice(instance, server, signum):
    instance.start(server)
    running = set(profile_processes(instance.profiles / "0"))
    assert any(is_soffice(pid) for pid in running)

    instance.proc.send_signal(signum)
    instance.proc.wait(60)
    wait_for(lambda: not profile_processes(instance.profiles / "0"), 60,
             lambda: f"{server} stopped with {signal.Signals(signum).name} leaves no LibreOffice "
                     f"({describe(profile_processes(instance.profiles / '0'))})")
    assert not any(Path(f"/proc/{pid}").exists() and not is_zombie(pid) for pid in running)
    assert processes_under(instance.dir) == []


def is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat[stat.rindex(")") + 2] in "ZX"


def test_a_second_server_on_the_same_instance_leaves_the_first_ones_converters_alone(instance, tmp_path):
    instance.start("gunicorn")
    [soffice] = instance.soffice()
    first = set(profile_processes(instance.profiles / "0"))

    second = Instance(tmp_path / "second")  # its own port and TMPDIR, the same instance folder
    second.dir, second.profiles = instance.dir, instance.profiles
    second.env.update(ASYSTA_INSTANCE_DIR=str(instance.dir))
    second.proc = subprocess.Popen([str(BIN / "flask"), "--app", "service", "run", "--port", str(second.port),
                                    "--no-reload"], cwd=ROOT, env=second.env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
    try:
        wait_for(second.answers, 90, "the second server answers")
        # It could not take the profiles, so it warms its converter in a temporary folder.
        [root] = wait_for(lambda: list(second.tmp.glob("asysta-lo-*")), 90, "a temporary profile folder")
        wait_for(lambda: any(is_soffice(pid) for pid in profile_processes(root / "0")), 90,
                 "the second server's own LibreOffice")
        assert set(profile_processes(instance.profiles / "0")) == first
        second.proc.send_signal(signal.SIGTERM)
        second.proc.wait(60)
        wait_for(lambda: not processes_under(root), 60, "the second server's LibreOffice ends")
        assert not root.exists()
    finally:
        second.stop()
    assert instance.soffice() == [soffice]
