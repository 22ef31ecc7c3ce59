"""The service's files are its own: no other local account may read the families' data.

ASVS 4.0.3 V1.8.1 / V8.1 (protect sensitive data at rest), V12.5 (files of the service): the
database, the archive, the seal, the page cache and the converters' profiles hold family data or
keys. New files are private by the umask (0o077: directories 0700, files 0600 or less, also in
LibreOffice and every other child process); what exists already is made private at start.
"""
from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

UMASK = 0o077
FOLDER_KEYS = ("ARCHIVE_DIR", "DEV_SEAL_DIR", "PAGE_CACHE_DIR", "CONVERTER_PROFILE_DIR", "SCAN_STAGING_DIR")


def private_umask() -> None:
    """Sets the process's umask to 0o077 (called first thing in create_app: the service, gunicorn's
    worker and every CLI command). Process-wide by design; returns nothing."""
    os.umask(UMASK)


def make_private(instance_path: Path, config) -> None:
    """chmod 0700 the instance folder and the configured folders (ARCHIVE_DIR, DEV_SEAL_DIR,
    PAGE_CACHE_DIR, CONVERTER_PROFILE_DIR, SCAN_STAGING_DIR), and 0600 an SQLite database with its -wal, -shm and
    -journal files, where they exist and are not private yet.

    A folder that only its owner may enter protects everything inside it, so the files inside
    are not walked one by one (the archive may hold many thousands). A path this user cannot
    change (another owner) is reported on stderr; the service still starts.
    """
    paths = [(Path(instance_path), 0o700)]
    paths += [(Path(config[key]), 0o700) for key in FOLDER_KEYS if config.get(key)]
    database = sqlite_path(config.get("SQLALCHEMY_DATABASE_URI") or "")
    if database is not None:
        paths += [(database.with_name(database.name + suffix), 0o600) for suffix in ("", "-wal", "-shm", "-journal")]
    for path, mode in paths:
        try:
            current = stat.S_IMODE(path.stat().st_mode)
            if current & 0o077:
                path.chmod(current & mode)
        except FileNotFoundError:
            continue
        except PermissionError as exc:
            print(f"Asysta: nie można ograniczyć uprawnień do {path}: {exc}", file=sys.stderr, flush=True)


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (``sqlite:///path``), or None for another database or memory."""
    try:
        parsed = make_url(url)
    except ArgumentError:  # not a URL at all: create_engine will say so
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:" \
            or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)
