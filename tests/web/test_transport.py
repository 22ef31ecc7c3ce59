"""Transport: the loopback bind by default, trusted host names (a forged Host never reaches a
signing link or QR code), proxy headers only from configured proxies, HTTPS (redirect, HSTS,
Secure cookies), and the instance's files private to the service's account."""
from __future__ import annotations

import importlib
import io
import os
import re
import socket
import sqlite3
import stat
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image
from pyzbar.pyzbar import decode

from service import create_app
from service.archive.models import AccessLog
from service.config import ROOT
from service.extensions import db
from service.signing.models import SigningEvent, SigningSession
from service.transport import UNTRUSTED_HOST
from tests.helpers import download
from tests.signing.conftest import issue_document, start_remote

KEEP = ("TESTING", "SQLALCHEMY_DATABASE_URI", "ARCHIVE_DIR", "WTF_CSRF_ENABLED", "ADMIN_PASSWORD",
        "CONVERTERS", "CONVERTER_PROFILE_DIR", "DEV_SEAL_DIR")
SETTINGS = ("PUBLIC_URL", "TRUSTED_HOSTS", "TRUSTED_PROXIES", "HTTPS")
FORGED = ("evil.example", "evil.example:80", "localhost.evil.example", "127.0.0.1.evil.example", "[::2]:8000")
PUBLIC = "https://asysta.mops.example.pl"
HSTS = "max-age=31536000; includeSubDomains"


@pytest.fixture
def configured(app, monkeypatch):
    """configured(PUBLIC_URL=…, …) -> a second app on the same database and archive, started with
    those ASYSTA_* variables in its environment (as an operator would set them)."""
    made = []

    def make(**env: str):
        for name in SETTINGS:
            monkeypatch.delenv(f"ASYSTA_{name}", raising=False)
        for name, value in env.items():
            monkeypatch.setenv(f"ASYSTA_{name}", value)
        made.append(create_app({key: app.config[key] for key in KEEP}))
        return made[-1]

    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def log_in(client, user, **kwargs):
    response = client.post("/login", data={"login": user.login, "password": "haslo-" + user.login}, **kwargs)
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    return response


def last_login_ip(app) -> str:
    with app.app_context():
        return db.session.execute(db.select(AccessLog.ip).where(AccessLog.action == "login")
                                  .order_by(AccessLog.id.desc()).limit(1)).scalar_one()


def set_cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def sessions_count(app) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count()).select_from(SigningSession)).scalar_one()


# --- Host ---------------------------------------------------------------------------------------

def test_a_forged_host_is_refused_and_never_in_a_signing_link(app, client, create_user, login, api_token):
    user = create_user("assistant")
    login(user)
    doc_id = issue_document(client)
    token = api_token(user)
    before = sessions_count(app)
    for host in FORGED:
        for response in (client.get("/login", headers={"Host": host}),
                         client.post(f"/archive/{doc_id}/signing", data={"mode": "remote"}, headers={"Host": host}),
                         client.post(f"/api/documents/{doc_id}/signing", headers={"Host": host, **token}),
                         client.get("/s/ABCD2345", headers={"Host": host})):
            assert response.status_code == 400, (host, response.request.path)
            assert response.get_data(as_text=True).strip() == UNTRUSTED_HOST
            assert response.headers["Cache-Control"] == "no-store"
    assert sessions_count(app) == before  # nothing was started under a forged name
    # the names of this machine are trusted; links name the host the request was made to
    for host in ("localhost", "localhost:8000", "127.0.0.1:5000", "[::1]:8000", "LOCALHOST"):
        assert client.get("/login", headers={"Host": host}).status_code == 200, host
    link, session_id = start_remote(client, doc_id)  # start_remote finds http://localhost/s/… on the page
    # one open session per document: cancelled before the API starts another
    assert client.post(f"/archive/{doc_id}/signing/{session_id}/cancel").status_code == 302
    created = client.post(f"/api/documents/{doc_id}/signing", headers={**token, "X-Forwarded-Host": "evil.example"})
    assert created.status_code == 201
    assert created.get_json()["link"].startswith("http://localhost/s/")
    assert "evil" not in created.get_data(as_text=True)


def test_the_public_url_makes_every_external_link(configured, create_user, api_token):
    public = configured(PUBLIC_URL=PUBLIC)
    user = create_user("assistant")
    token = api_token(user)
    client = public.test_client()
    # reached through a loopback name (a local check, a proxy that rewrote Host): links are public
    base = {"base_url": "https://127.0.0.1"}
    log_in(client, user, **base)
    doc_id = issue_document_at(client, base)
    response = client.post(f"/archive/{doc_id}/signing", data={"mode": "remote"}, **base)
    page = client.get(response.location, **base).get_data(as_text=True)
    link = re.search(r'id="link"[^>]*href="([^"]+)"|href="([^"]+)"[^>]*id="link"', page)
    link = link.group(1) or link.group(2)
    assert link.startswith(f"{PUBLIC}/s/"), link
    assert "127.0.0.1" not in page.split("<main", 1)[1]
    # one open session per document: cancelled before the API starts another
    session_id = response.location.rstrip("/").rsplit("/", 1)[1]
    assert client.post(f"/archive/{doc_id}/signing/{session_id}/cancel", **base).status_code == 302
    created = client.post(f"/api/documents/{doc_id}/signing", headers=token, **base).get_json()
    assert created["link"].startswith(f"{PUBLIC}/s/") and created["qr"].startswith(f"{PUBLIC}/api/")
    assert created["document"].startswith(f"{PUBLIC}/api/documents/")
    qr, data = download(client, created["qr"].removeprefix(PUBLIC), headers=token, **base)
    assert decode(Image.open(io.BytesIO(data)))[0].data.decode() == created["link"]
    described = client.get("/api/openapi.json", headers=token, **base).get_json()
    assert described["servers"] == [{"url": PUBLIC}]
    # the public name is trusted, another is not
    assert client.get("/login", base_url=PUBLIC).status_code == 200
    assert client.get("/login", base_url="https://evil.example").status_code == 400


def issue_document_at(client, base: dict) -> str:
    from service.documents.registry import DOCUMENT_TYPES
    from tests.helpers import form_data

    doctype = DOCUMENT_TYPES.get("family_consent")
    response = client.post("/documents/new/family_consent", data=form_data(doctype, doctype.sample_data), **base)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.location.rsplit("/", 1)[1]


def test_trusted_host_names_can_be_added(configured):
    named = configured(TRUSTED_HOSTS="asysta.local, .mops.example.pl")
    client = named.test_client()
    for host in ("asysta.local", "asysta.local:8000", "a.mops.example.pl", "mops.example.pl", "localhost"):
        assert client.get("/login", headers={"Host": host}).status_code == 200, host
    for host in ("evil.example", "mops.example.pl.evil.example", "xmops.example.pl"):
        assert client.get("/login", headers={"Host": host}).status_code == 400, host


def test_malformed_host_names_are_refused_not_a_server_error(configured):
    # Names with an empty or over-long label stripped down to a trusted name once reached Flask,
    # whose URL map could not encode them (IDNA): a 500 for a header anyone can send.
    client = configured(TRUSTED_HOSTS=".mops.example.pl").test_client()
    for host in ("localhost..", "localhost..:8000", "localhost...", "a..mops.example.pl",
                 "x" * 64 + ".mops.example.pl"):
        response = client.get("/login", headers={"Host": host})
        assert response.status_code == 400, host
        assert response.get_data(as_text=True).strip() == UNTRUSTED_HOST
    for host in ("localhost.", "localhost.:8000", "a.mops.example.pl.", "x" * 63 + ".mops.example.pl"):
        assert client.get("/login", headers={"Host": host}).status_code == 200, host


# --- proxies ------------------------------------------------------------------------------------

FORWARDED = {"X-Forwarded-For": "198.51.100.1, 203.0.113.7", "X-Forwarded-Proto": "https",
             "X-Forwarded-Host": "evil.example"}


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(app, client, create_user):
    user = create_user("assistant")
    response = log_in(client, user, headers=FORWARDED)
    assert last_login_ip(app) == "127.0.0.1"
    assert all("Secure" not in c for c in set_cookies(response))  # the client said https; it was not
    doc_id = issue_document(client)
    response = client.post(f"/archive/{doc_id}/signing", data={"mode": "remote"}, headers=FORWARDED)
    page = client.get(response.location, headers=FORWARDED).get_data(as_text=True)
    assert "http://localhost/s/" in page and "https://" not in page and "evil" not in page


def test_forwarded_headers_of_a_trusted_proxy_are_honoured(configured, create_user):
    proxied = configured(TRUSTED_PROXIES="1")
    client = proxied.test_client()
    user = create_user("assistant")
    response = log_in(client, user, headers=FORWARDED)
    # the proxy's own entry is the last one; what the client put before it is not believed
    assert last_login_ip(proxied) == "203.0.113.7"
    assert all("; Secure" in c for c in set_cookies(response))  # the client used HTTPS
    doc_id = issue_document_at(client, {"headers": FORWARDED})
    link, session_id = start_remote_at(client, doc_id, FORWARDED)
    assert link.startswith("https://localhost/s/"), link  # scheme from the proxy, Host not from X-Forwarded-Host
    tablet = proxied.test_client()
    opened = tablet.get(link.removeprefix("https://localhost"),
                        headers={**FORWARDED, "X-Forwarded-For": "192.0.2.44"})
    assert opened.status_code == 302
    device = [c for c in set_cookies(opened) if c.startswith("asysta_device_")]
    assert device and all("; Secure" in c for c in device)
    with proxied.app_context():
        ips = db.session.execute(db.select(SigningEvent.action, SigningEvent.ip)
                                 .where(SigningEvent.session_id == session_id)).all()
    assert ("created", "203.0.113.7") in ips, ips  # the staff member, through the proxy
    assert ("link_opened", "192.0.2.44") in ips, ips  # the tablet: the IP the evidence page shows


def start_remote_at(client, doc_id: str, headers: dict) -> tuple[str, str]:
    response = client.post(f"/archive/{doc_id}/signing", data={"mode": "remote"}, headers=headers)
    assert response.status_code == 302
    session_id = response.location.rstrip("/").rsplit("/", 1)[1]
    page = client.get(response.location, headers=headers).get_data(as_text=True)
    return re.search(r'href="(https?://[^"]+/s/[A-Z0-9]{8})"', page).group(1), session_id


def test_proxies_named_by_address(configured, create_user):
    proxied = configured(TRUSTED_PROXIES="10.0.0.0/8, 192.0.2.1")
    user = create_user("assistant")
    direct = proxied.test_client()  # 127.0.0.1: not one of the proxies
    log_in(direct, user, headers=FORWARDED)
    assert last_login_ip(proxied) == "127.0.0.1"
    for proxy in ("10.1.2.3", "192.0.2.1"):
        via = proxied.test_client()
        log_in(via, user, headers=FORWARDED, environ_base={"REMOTE_ADDR": proxy})
        assert last_login_ip(proxied) == "203.0.113.7"


@pytest.mark.parametrize("setting", [("TRUSTED_PROXIES", "0"), ("TRUSTED_PROXIES", "-1"), ("TRUSTED_PROXIES", "zwei"),
                                     ("TRUSTED_PROXIES", "10.0.0.0/33"), ("PUBLIC_URL", "asysta.example.pl"),
                                     ("PUBLIC_URL", "https://asysta.example.pl/asysta"), ("PUBLIC_URL", "ftp://a.pl")])
def test_an_unreadable_setting_stops_the_start(configured, setting):
    name, value = setting
    with pytest.raises(ValueError, match=f"ASYSTA_{name}"):
        configured(**{name: value})


# --- HTTPS --------------------------------------------------------------------------------------

def test_https_redirects_sends_hsts_and_secure_cookies(configured, create_user):
    secure = configured(HTTPS="1")
    client = secure.test_client()
    for method in ("get", "post"):
        response = getattr(client, method)("/login?next=%2Farchive", base_url="http://localhost:8000")
        assert response.status_code == 308
        target = urlsplit(response.location)
        assert (target.scheme, target.netloc, target.path) == ("https", "localhost", "/login")
        assert parse_qs(target.query) == {"next": ["/archive"]}
        assert "Strict-Transport-Security" not in response.headers  # never over plain HTTP
    https = {"base_url": "https://localhost"}
    page = client.get("/login", **https)
    assert page.status_code == 200 and page.headers["Strict-Transport-Security"] == HSTS
    user = create_user("assistant")
    response = log_in(client, user, **https)
    cookie = next(c for c in set_cookies(response) if c.startswith("__Host-asysta="))
    assert {"Secure", "HttpOnly", "Path=/"} <= {part.strip() for part in cookie.split(";")}
    assert "Domain" not in cookie
    assert client.get("/archive", **https).status_code == 200  # the __Host- cookie is the session
    # the signing device's cookie on a handed-over tablet
    doc_id = issue_document_at(client, https)
    here = client.post(f"/archive/{doc_id}/signing", data={"mode": "here"}, **https)
    device = [c for c in set_cookies(here) if c.startswith("asysta_device_")]
    assert device and all("; Secure" in c for c in device)


def test_plain_http_gets_no_hsts_and_no_secure_cookies_by_default(app, client, create_user):
    user = create_user("assistant")
    response = log_in(client, user)
    assert "Strict-Transport-Security" not in response.headers
    assert set_cookies(response) and all("Secure" not in c for c in set_cookies(response))
    # a direct HTTPS request (gunicorn with a certificate) still gets Secure cookies, but no HSTS
    # promise the operator has not made
    response = log_in(app.test_client(), user, base_url="https://localhost")
    assert "Strict-Transport-Security" not in response.headers
    assert set_cookies(response) and all("; Secure" in c for c in set_cookies(response))


# --- where the service listens ------------------------------------------------------------------

def test_the_service_listens_on_the_loopback_by_default(monkeypatch):
    from flask.cli import run_command
    from gunicorn.config import Config

    for name in ("ASYSTA_BIND", "HOST", "PORT"):
        monkeypatch.delenv(name, raising=False)
    conf = importlib.reload(importlib.import_module("service.gunicorn_conf"))
    cfg = Config()
    for name in ("bind", "forwarded_allow_ips", "secure_scheme_headers"):
        cfg.set(name, getattr(conf, name))
    assert cfg.bind == ["127.0.0.1:8000"]
    assert cfg.forwarded_allow_ips == [] and cfg.secure_scheme_headers == {}
    assert conf.bind_address({"ASYSTA_BIND": "0.0.0.0", "PORT": "8080"}) == "0.0.0.0:8080"
    assert conf.bind_address({"ASYSTA_BIND": "::"}) == "[::]:8000"
    assert conf.bind_address({"ASYSTA_BIND": "unix:/run/asysta/asysta.sock"}) == "unix:/run/asysta/asysta.sock"
    monkeypatch.setenv("HOST", "0.0.0.0")  # a variable some shells and platforms set
    assert importlib.reload(conf).bind == "127.0.0.1:8000"
    monkeypatch.delenv("HOST")
    importlib.reload(conf)
    # the Procfile and scripts/start take the bind from that file and do not widen it
    for launcher in (ROOT / "Procfile", ROOT / "scripts" / "start"):
        text = launcher.read_text()
        assert "-c python:service.gunicorn_conf" in text, launcher
        assert not re.search(r"\s(-b|--bind)[\s=]|0\.0\.0\.0|HOST=|ASYSTA_BIND=", text), launcher
    # `flask run` listens on the loopback unless told otherwise
    host = next(p for p in run_command.params if p.name == "host")
    assert host.default == "127.0.0.1"


def test_gunicorn_listens_on_the_loopback_and_believes_no_forwarding_header(tmp_path):
    """The real gunicorn as the Procfile starts it: 127.0.0.1 only; a local client's
    X-Forwarded-Proto does not make its request HTTPS (gunicorn's own default would); a forged
    Host is refused."""
    port = free_port()
    env = {**os.environ, "ASYSTA_INSTANCE_DIR": str(tmp_path / "instance"), "ASYSTA_CONVERTER_AUTOSTART": "0",
           "ASYSTA_ADMIN_PASSWORD": "admin-haslo-testowe", "PORT": str(port), "ASYSTA_THREADS": "2"}
    for name in ("ASYSTA_BIND", "HOST", "FORWARDED_ALLOW_IPS", *(f"ASYSTA_{n}" for n in SETTINGS)):
        env.pop(name, None)
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "python:service.gunicorn_conf",
                                 "service:create_app()"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):  # started: migrations on a fresh SQLite, no converters
            if proc.poll() is not None or answer(base + "/login") is not None:
                break
            time.sleep(0.1)
        assert proc.poll() is None, log.read_text()
        status, headers = answer(base + "/login", {"X-Forwarded-Proto": "https", "X-Forwarded-Ssl": "on",
                                                   "X-Forwarded-For": "203.0.113.7"}) or (None, None)
        assert status == 200, log.read_text()
        cookies = headers.get_all("Set-Cookie")
        assert cookies and all("Secure" not in c for c in cookies), cookies  # still plain HTTP
        assert "Strict-Transport-Security" not in headers
        assert (answer(base + "/login", {"Host": "evil.example"}) or (None,))[0] == 400
        other = own_address()
        if other is not None:  # the machine's address on its network: nobody listens there
            with pytest.raises(OSError):
                socket.create_connection((other, port), timeout=5).close()
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answer(url: str, headers: dict | None = None):
    """The HTTP response's (status, headers) whatever the status, or None while nothing answers."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as r:
            r.read()
            return r.status, r.headers
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.headers
    except OSError:
        return None


def own_address() -> str | None:
    """This machine's IPv4 address towards the network (no packet is sent), if it has one."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


# --- the instance's files -----------------------------------------------------------------------

def modes(*roots: Path) -> dict[str, int]:
    found = {}
    for root in roots:
        if not root.exists():
            continue
        found[str(root)] = stat.S_IMODE(root.stat().st_mode)
        for folder, dirs, files in os.walk(root):
            for name in dirs + files:
                path = Path(folder) / name
                found[str(path)] = stat.S_IMODE(path.lstat().st_mode)
    return found


def test_instance_files_are_private_after_issuing_a_document(app, client, create_user, login, tmp_path):
    login(create_user("assistant"))
    doc_id = issue_document(client)
    link, session_id = start_remote(client, doc_id)
    tablet = app.test_client()
    tablet.get(link)
    response, image = download(tablet, f"/podpis/{session_id}/strona/1.png")  # fills the page cache
    assert response.status_code == 200 and image
    roots = [Path(app.instance_path), Path(app.config["ARCHIVE_DIR"]), Path(app.config["PAGE_CACHE_DIR"]),
             Path(app.config["DEV_SEAL_DIR"]), Path(app.config["CONVERTER_PROFILE_DIR"])]
    found = modes(*roots)
    database = tmp_path / "test.sqlite"
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        found.update({str(p): stat.S_IMODE(p.stat().st_mode) for p in tmp_path.glob("test.sqlite*")})
        assert str(database) in found
    assert any(p.endswith(".pdf") for p in found) and any(p.endswith(".png") for p in found)
    assert any(p.endswith(".p12") for p in found)
    shared = {path: oct(mode) for path, mode in found.items() if mode & 0o077}
    assert not shared, shared


def test_existing_instance_files_are_made_private_at_start(tmp_path, monkeypatch, shared_dirs):
    instance = tmp_path / "old-instance"
    (instance / "archive" / "ab").mkdir(parents=True)
    database = instance / "asysta.sqlite"
    sqlite3.connect(database).close()
    archive = instance / "archive"
    for path, mode in ((instance, 0o755), (archive, 0o755), (database, 0o644)):
        path.chmod(mode)
    monkeypatch.setenv("ASYSTA_INSTANCE_DIR", str(instance))
    os.umask(0o022)  # as a shell would start the service
    try:
        started = create_app({"TESTING": True, "CONVERTERS": 1, **shared_dirs})
        umask = os.umask(0o077)
    finally:
        os.umask(0o077)
    with started.app_context():
        db.session.remove()
        db.engine.dispose()
    assert umask == 0o077, oct(umask)
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    assert stat.S_IMODE(archive.stat().st_mode) == 0o700
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
