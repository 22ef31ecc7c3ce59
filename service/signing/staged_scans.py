"""Scans waiting for a staff member's confirmation: kept server-side for a short time, never archived.

Each upload that could be checked is kept in a folder of its own under SCAN_STAGING_DIR, named by a
random token (192 bits) and bound to the staff member who uploaded it: the file as uploaded, the
page images of the confirmation page and what the check found. Folders and files are readable by
the service's user only, outside anything the web server serves (OWASP ASVS 4.0.3, 12.4.1). An
entry lives SCAN_STAGING_MINUTES (30 by default) and is removed when it is confirmed or dropped;
expired ones are removed whenever another scan is staged.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
_META = "meta.json"
_SCAN = "scan.bin"


@dataclass(frozen=True)
class StagedScan:
    """One staged scan: whose it is, for which document, what its check found, and where it lies."""

    token: str
    user_id: int
    document_id: str
    created_at: float  # seconds since the epoch
    ext: str
    chosen_by_hand: bool
    ok: bool  # the check found no problem: the scan may be confirmed
    problems: list[str]
    places: list[dict]  # signatures.ink.PlaceResult.to_json() of each place
    pages: int
    path: Path
    blank: tuple[int, ...] = ()  # 1-based numbers of the scan's blank pages, skipped by the check
    scan_sha256: str = ""  # of the file as uploaded: a scan already attached is told by it (kept after the file)

    def scan_bytes(self) -> bytes:
        """The file exactly as uploaded."""
        return (self.path / _SCAN).read_bytes()

    def preview(self, number: int) -> Path | None:
        """The image of scanned page `number` (1-based) with its places marked, or None."""
        if not 1 <= number <= self.pages:
            return None
        path = self.path / f"page-{number}.jpg"
        return path if path.is_file() else None


def _root() -> Path:
    return Path(current_app.config["SCAN_STAGING_DIR"])


def _lifetime() -> float:
    return float(current_app.config["SCAN_STAGING_MINUTES"]) * 60


def _write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def stage(data: bytes, *, ext: str, user_id: int, document_id: str, chosen_by_hand: bool, ok: bool,
          problems: list[str], places: list[dict], previews: list[bytes], blank: list[int] = ()) -> StagedScan:
    """Keeps an uploaded scan and its confirmation page's images; returns the entry (its token is new).

    The metadata is written last, under its final name by a rename: an entry is loaded only whole.
    """
    root = _root()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(root, 0o700)
    sweep()
    token = secrets.token_urlsafe(24)  # 32 characters
    path = root / token
    path.mkdir(mode=0o700)
    _write(path / _SCAN, data)
    for number, image in enumerate(previews, 1):
        _write(path / f"page-{number}.jpg", image)
    meta = {"user_id": user_id, "document_id": document_id, "created_at": time.time(), "ext": ext,
            "chosen_by_hand": chosen_by_hand, "ok": ok, "problems": problems, "places": places,
            "pages": len(previews), "scan_sha256": hashlib.sha256(data).hexdigest(),
            "blank": [int(n) for n in blank]}
    _write(path / f"{_META}.tmp", json.dumps(meta, ensure_ascii=False).encode())
    os.rename(path / f"{_META}.tmp", path / _META)
    return _entry(token, path, meta)


def _entry(token: str, path: Path, meta: dict) -> StagedScan:
    return StagedScan(token=token, user_id=int(meta["user_id"]), document_id=str(meta["document_id"]),
                      created_at=float(meta["created_at"]), ext=str(meta["ext"]),
                      chosen_by_hand=bool(meta["chosen_by_hand"]), ok=bool(meta["ok"]),
                      problems=list(meta["problems"]), places=list(meta["places"]), pages=int(meta["pages"]),
                      path=path, blank=tuple(int(n) for n in meta.get("blank", ())),
                      scan_sha256=str(meta.get("scan_sha256", "")))


def load(token: str, user_id: int) -> StagedScan | None:
    """The staged scan with this token if it belongs to this staff member and has not expired, else None.

    Unknown, foreign and expired tokens look the same to the caller (OWASP ASVS 4.0.3, 4.2.1:
    a token of another user gives nothing away); an expired entry is removed.
    """
    if not _TOKEN.fullmatch(token or ""):
        return None
    path = _root() / token
    try:
        meta = json.loads((path / _META).read_text(encoding="utf-8"))
        entry = _entry(token, path, meta)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if time.time() - entry.created_at > _lifetime():
        discard(entry)
        return None
    return entry if entry.user_id == user_id else None


def discard(entry: StagedScan) -> None:
    """Removes a staged scan and its images."""
    shutil.rmtree(entry.path, ignore_errors=True)


def sweep() -> None:
    """Removes every staged scan older than its lifetime (and folders left half-written)."""
    root = _root()
    if not root.is_dir():
        return
    limit = time.time() - _lifetime()
    for path in root.iterdir():
        try:
            if path.stat().st_mtime < limit:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            continue
