"""Write-once, content-addressed file storage: each file lives under its SHA-256 and never changes."""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class ArchiveStore:
    """Files under root/ab/cd/<sha256>.<ext>, written to a temporary name, fsynced, then linked."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str, ext: str) -> Path:
        """Where the file with this digest lives."""
        return self.root / sha256[:2] / sha256[2:4] / f"{sha256}.{ext}"

    def put(self, data: bytes, ext: str) -> tuple[str, bool]:
        """Stores `data`; returns its SHA-256 and whether this call created the file."""
        digest = hashlib.sha256(data).hexdigest()
        final = self.path(digest, ext)
        if final.exists():
            return digest, False
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.with_name(f".{final.name}.{os.getpid()}.{id(data)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o440)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            try:
                # link() never replaces an existing file: a file, once archived, stays as it was.
                os.link(tmp, final)
                created = True
            except FileExistsError:
                created = False
        finally:
            tmp.unlink(missing_ok=True)
        _fsync_dir(final.parent)
        return digest, created

    def read(self, sha256: str, ext: str) -> bytes:
        """The stored bytes, checked against their digest."""
        data = self.path(sha256, ext).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise IOError(f"archived file {sha256}.{ext} does not match its digest")
        return data

    def discard(self, sha256: str, ext: str) -> None:
        """Removes a file this transaction created and could not register (never called otherwise)."""
        self.path(sha256, ext).unlink(missing_ok=True)


class Staged:
    """The files one database transaction writes: removed again if the transaction fails."""

    def __init__(self, store: ArchiveStore) -> None:
        self.store = store
        self.created: list[tuple[str, str]] = []

    def put(self, data: bytes, ext: str) -> str:
        """Stores `data` like ArchiveStore.put; returns its SHA-256."""
        digest, created = self.store.put(data, ext)
        if created:
            self.created.append((digest, ext))
        return digest


@contextmanager
def archiving(store: ArchiveStore, session) -> Iterator[Staged]:
    """All or nothing: on any failure the session is rolled back and the files it wrote are removed."""
    staged = Staged(store)
    try:
        yield staged
    except BaseException:
        session.rollback()
        for digest, ext in staged.created:
            store.discard(digest, ext)
        raise


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
