"""Configuration: embedded defaults, overridable from the environment (ASYSTA_*), in one place."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ConfigurationError(RuntimeError):
    """A setting the service refuses to start with; the message says which and what to do."""


def _env(name: str, default=None):
    return os.environ.get(f"ASYSTA_{name}", default)


def defaults(instance_path: Path) -> dict:
    """The configuration the service starts with; every key can be set by an ASYSTA_* variable."""
    instance_path = Path(instance_path)
    return {
        # A random key per instance unless given: sessions survive restarts of the same instance.
        "SECRET_KEY": _env("SECRET_KEY") or _instance_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url(_env("DATABASE_URL") or f"sqlite:///{instance_path / 'asysta.sqlite'}"),
        "ARCHIVE_DIR": Path(_env("ARCHIVE_DIR") or instance_path / "archive"),
        # The office seal: a PKCS#12 file and its passphrase. Without them a development seal is
        # generated in instance/seal/ and every page says so.
        "SEAL_P12": _env("SEAL_P12"),
        "SEAL_PASSPHRASE": _env("SEAL_PASSPHRASE"),
        "DEV_SEAL_DIR": instance_path / "seal",
        # The LibreOffice pool: one converter per core is the measured optimum.
        "CONVERTERS": int(_env("CONVERTERS", os.cpu_count() or 2)),
        "CONVERTER_PROFILE_DIR": Path(_env("CONVERTER_PROFILE_DIR") or instance_path / "libreoffice"),
        "CONVERSION_TIMEOUT": float(_env("CONVERSION_TIMEOUT", 30)),
        "CONVERTER_AUTOSTART": _env("CONVERTER_AUTOSTART", "1") == "1",
        # Overload: documents that may wait per converter, and seconds one may wait, before the
        # client gets 503 with Retry-After (under gunicorn's threads these bound only a backlog).
        "CONVERTER_QUEUE": int(_env("CONVERTER_QUEUE", 8)),
        "CONVERTER_WAIT": float(_env("CONVERTER_WAIT", 30)),
        # Signing: a link for another device is valid this long (minutes); a session on this
        # device (the tablet handed over in the office or at home) a little longer.
        "SIGNING_LINK_MINUTES": float(_env("SIGNING_LINK_MINUTES", 30)),
        "SIGNING_HERE_MINUTES": float(_env("SIGNING_HERE_MINUTES", 120)),
        # The family's copy: a one-time link (and QR code) to the signed PDF for the family's own
        # phone stays valid this long (minutes) after it is issued (service/signing/family.py).
        "FAMILY_COPY_MINUTES": float(_env("FAMILY_COPY_MINUTES", 60)),
        # Page images shown on the signing page, rendered once per PDF (a cache, safe to delete).
        "PAGE_CACHE_DIR": Path(_env("PAGE_CACHE_DIR") or instance_path / "page_cache"),
        # Scans waiting for staff's confirmation (service/signing/staged_scans.py): private, short-lived.
        "SCAN_STAGING_DIR": Path(_env("SCAN_STAGING_DIR") or instance_path / "staged_scans"),
        "SCAN_STAGING_MINUTES": float(_env("SCAN_STAGING_MINUTES", 30)),
        # Uploads (scans, PDFs to verify) are parsed in a child process with these limits
        # (service/uploads.py): memory (MB of address space), CPU seconds, wall-clock seconds; at
        # most UPLOAD_WORKERS at once (one core stays free); UPLOAD_QUEUE more may wait UPLOAD_WAIT
        # seconds; one more gets 503 with Retry-After at once (so uploads hold few server threads).
        "UPLOAD_WORKERS": int(_env("UPLOAD_WORKERS", max(1, min(4, (os.cpu_count() or 2) - 1)))),
        "UPLOAD_QUEUE": int(_env("UPLOAD_QUEUE", 2)),
        "UPLOAD_WAIT": float(_env("UPLOAD_WAIT", 10)),
        "UPLOAD_TIMEOUT": float(_env("UPLOAD_TIMEOUT", 30)),
        "UPLOAD_CPU_SECONDS": int(_env("UPLOAD_CPU_SECONDS", 20)),
        "UPLOAD_MEMORY_MB": int(_env("UPLOAD_MEMORY_MB", 1024)),
        # A scan: at most this many pages, each at most A4 at this resolution (checked before decoding).
        "SCAN_MAX_PAGES": int(_env("SCAN_MAX_PAGES", 20)),
        "SCAN_MAX_DPI": int(_env("SCAN_MAX_DPI", 600)),
        # A PDF to verify: at most this many pages.
        "VERIFY_MAX_PAGES": int(_env("VERIFY_MAX_PAGES", 200)),
        "AUTO_MIGRATE": _env("AUTO_MIGRATE", "1") == "1",
        "ADMIN_PASSWORD": _env("ADMIN_PASSWORD"),
        # Logging in (service/accounts/throttle.py, OWASP ASVS 4.0.3 V2.2.1): failures counted per
        # login typed and per client address, in windows of LOGIN_WINDOW_MINUTES from a first failure.
        # From DELAY_AFTER on, each failure makes the next attempt wait (LOGIN_DELAY_MINUTES,
        # doubling); from LOCK_AFTER on, each locks for LOGIN_LOCK_MINUTES. An address (an
        # office behind one NAT address) gets higher thresholds than one account.
        "LOGIN_DELAY_AFTER": int(_env("LOGIN_DELAY_AFTER", 5)),
        "LOGIN_LOCK_AFTER": int(_env("LOGIN_LOCK_AFTER", 10)),
        "LOGIN_ADDRESS_DELAY_AFTER": int(_env("LOGIN_ADDRESS_DELAY_AFTER", 20)),
        "LOGIN_ADDRESS_LOCK_AFTER": int(_env("LOGIN_ADDRESS_LOCK_AFTER", 50)),
        "LOGIN_DELAY_MINUTES": float(_env("LOGIN_DELAY_MINUTES", 1)),
        "LOGIN_LOCK_MINUTES": float(_env("LOGIN_LOCK_MINUTES", 15)),
        "LOGIN_WINDOW_MINUTES": float(_env("LOGIN_WINDOW_MINUTES", 60)),
        # Staff sessions (service/accounts/sessions.py, ASVS V3.3): end after this long without
        # a request, and this long after the login whatever happens.
        "IDLE_MINUTES": float(_env("IDLE_MINUTES", 30)),
        "SESSION_HOURS": float(_env("SESSION_HOURS", 12)),
        # The signed session cookie is refused past this age too (Flask's default is 31 days).
        "PERMANENT_SESSION_LIFETIME": int(float(_env("SESSION_HOURS", 12)) * 3600),
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        **transport_defaults(),
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "pl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Warsaw",
    }


def transport_defaults() -> dict:
    """How the service is reached: its public origin, the host names and proxies it trusts, HTTPS.

    ASYSTA_PUBLIC_URL (e.g. ``https://asysta.mops.example.pl``) is the origin every external link
    (signing links, QR codes, API links) is built from, whatever Host a request carried (Flask's
    SERVER_NAME); an https:// origin turns HTTPS on. ASYSTA_HTTPS=1 turns it on without a public
    origin. HTTPS means: plain HTTP is redirected, HSTS is sent, and cookies are Secure (cookies
    are also Secure on any request that arrived over HTTPS). ASYSTA_TRUSTED_HOSTS (comma-separated,
    ``.example.pl`` for every subdomain) and ASYSTA_TRUSTED_PROXIES (a number of proxy hops, or the
    proxies' addresses) are read by service/transport.py. Raises ValueError for a public URL that
    is not a bare http(s) origin.
    """
    public_url = (_env("PUBLIC_URL") or "").strip()
    scheme, netloc = parse_public_url(public_url) if public_url else ("", "")
    https = _env("HTTPS", "0") == "1" or scheme == "https"
    return {
        "PUBLIC_URL": f"{scheme}://{netloc}" if public_url else None,
        "SERVER_NAME": netloc or None,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "HTTPS": https,
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_SECURE": https,
        # RFC 6265bis __Host- prefix (ASVS 3.4.4): the browser keeps such a cookie only if it is
        # Secure, for this host alone, path /. Over plain HTTP it would be dropped, hence only here.
        "SESSION_COOKIE_NAME": "__Host-asysta" if https else "session",
        "TRUSTED_HOST_NAMES": _split(_env("TRUSTED_HOSTS")),
        "TRUSTED_PROXIES": (_env("TRUSTED_PROXIES") or "").strip(),
    }


def parse_public_url(url: str) -> tuple[str, str]:
    """``https://Host:port/`` -> ("https", "host:port"); raises ValueError unless a bare http(s) origin."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") \
            or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"ASYSTA_PUBLIC_URL must be an origin like https://asysta.example.pl, not {url!r}")
    return parts.scheme, parts.netloc.lower()


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def database_url(url: str) -> str:
    """A plain postgresql:// URL is served by psycopg 3, the driver the project installs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _instance_secret(instance_path: Path) -> str:
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(os.urandom(32).hex())
    return path.read_text().strip()
