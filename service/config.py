"""Configuration: embedded defaults, overridable from the environment (ASYSTA_*), in one place."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
        # Page images shown on the signing page, rendered once per PDF (a cache, safe to delete).
        "PAGE_CACHE_DIR": Path(_env("PAGE_CACHE_DIR") or instance_path / "page_cache"),
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
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "pl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Warsaw",
    }


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
