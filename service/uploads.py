"""Uploaded files parsed outside the request thread: the limits from the configuration, how many
may be parsed at once, and the Polish answers when a file is too heavy or the service too busy.

Every upload the service reads (a scan on /scans, a PDF on /verify and `flask documents verify`)
is parsed by signatures.sandbox in a child process with the UPLOAD_* limits; at most
UPLOAD_WORKERS run at once, UPLOAD_QUEUE more may wait up to UPLOAD_WAIT seconds, and any further
one is refused at once with UploadsBusy (503 with Retry-After), so uploads can neither take every
core and the memory nor hold every server thread (OWASP ASVS 4.0.3 V12.1.1: no upload may cause a denial
of service).
"""
from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask, current_app, render_template

from signatures.sandbox import Crashed, Limits, MemoryLimit, TimeLimit, run

from .extensions import db

__all__ = ["Messages", "UploadRefused", "UploadsBusy", "parse"]

BUSY = ("Serwer odczytuje teraz inne wgrane pliki. Spróbuj ponownie za {} s – plik trzeba będzie "
        "wskazać jeszcze raz.")


@dataclass(frozen=True)
class Messages:
    """What to tell the user, in Polish, when parsing a file of this kind ran out of time (wall
    clock or CPU), of memory, or failed otherwise."""

    too_slow: str
    too_heavy: str
    broken: str


class UploadRefused(ValueError):
    """The file could not be parsed within the limits; str() is the Polish message for its field (422)."""


class UploadsBusy(Exception):
    """Every parsing slot is taken and as many uploads wait: str() is the Polish message, .retry_after
    the whole seconds after which one slot is sure to be free (HTTP 503, RFC 9110 10.2.3)."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(1, int(retry_after))
        super().__init__(BUSY.format(self.retry_after))


class Gate:
    """At most `workers` jobs at once; up to `queue` more may wait up to `wait` seconds each for a
    free slot; any other is refused at once. `timeout` bounds one job (for Retry-After)."""

    def __init__(self, workers: int, queue: int, wait: float, timeout: float) -> None:
        self.workers, self.queue, self.wait, self.timeout = max(1, workers), max(0, queue), wait, timeout
        self._cond = threading.Condition()
        self._running: dict[object, float] = {}  # each running job's start (time.monotonic())
        self._waiting = 0
        self._typical = 5.0  # seconds a job takes, a running average (for Retry-After)

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Holds a slot for the block; raises UploadsBusy on entry when none frees up in time."""
        with self._cond:
            if len(self._running) >= self.workers and self._waiting >= self.queue:
                raise UploadsBusy(self._retry_after())
            self._waiting += 1
            try:
                give_up = time.monotonic() + self.wait
                while len(self._running) >= self.workers:
                    remaining = give_up - time.monotonic()
                    if remaining <= 0:
                        raise UploadsBusy(self._retry_after())
                    self._cond.wait(remaining)
            finally:
                self._waiting -= 1
            token, started = object(), time.monotonic()
            self._running[token] = started
        try:
            yield
        finally:
            with self._cond:
                del self._running[token]
                self._typical = 0.8 * self._typical + 0.2 * (time.monotonic() - started)
                self._cond.notify()

    def _retry_after(self) -> int:
        # The oldest running job is likely to end first: after a typical job's time, and by its
        # time limit at the latest; those waiting take their turns before
        now = time.monotonic()
        oldest = min(self._running.values(), default=now)
        first = min(max(self._typical - (now - oldest), 1.0), max(oldest + self.timeout - now, 1.0))
        return math.ceil(first + self._waiting * self._typical / self.workers)


_lock = threading.Lock()


def gate(app: Flask) -> Gate:
    """The app's parsing gate, made on first use from UPLOAD_WORKERS, UPLOAD_QUEUE, UPLOAD_WAIT and
    UPLOAD_TIMEOUT (+ 5 s to kill and clean up)."""
    with _lock:
        found = app.extensions.get("asysta.uploads")
        if found is None:
            found = Gate(int(app.config["UPLOAD_WORKERS"]), int(app.config["UPLOAD_QUEUE"]),
                         float(app.config["UPLOAD_WAIT"]), float(app.config["UPLOAD_TIMEOUT"]) + 5)
            app.extensions["asysta.uploads"] = found
        return found


def limits(app: Flask) -> Limits:
    """One parsing process's limits from UPLOAD_MEMORY_MB, UPLOAD_CPU_SECONDS and UPLOAD_TIMEOUT."""
    memory = int(app.config["UPLOAD_MEMORY_MB"]) * 1024 * 1024
    return Limits(memory_bytes=memory, cpu_seconds=int(app.config["UPLOAD_CPU_SECONDS"]),
                  wall_seconds=float(app.config["UPLOAD_TIMEOUT"]), file_bytes=memory)


def parse(job: Callable[..., Iterable], *args, messages: Messages) -> list:
    """Runs the generator function `job(*args)` in a limited child process (signatures.sandbox.run)
    once a slot of the current app's gate is free; the list of its items.

    Reading takes up to UPLOAD_TIMEOUT seconds, so the database session's transaction is ended
    first (committed: the request's reads; callers have nothing pending) and no transaction or
    connection is held meanwhile. Raises UploadsBusy when no slot frees up, UploadRefused with the
    matching message when the child runs out of time or memory or dies, and whatever `job` itself
    raises (e.g. ScanError).
    """
    app = current_app._get_current_object()
    bounds = limits(app)
    db.session.commit()
    with gate(app).slot():
        try:
            return run(job, *args, limits=bounds)
        except TimeLimit:
            raise UploadRefused(messages.too_slow) from None
        except MemoryLimit:
            raise UploadRefused(messages.too_heavy) from None
        except Crashed:
            raise UploadRefused(messages.broken) from None


def too_large_message() -> str:
    """The message at a file's field when the request was over MAX_CONTENT_LENGTH (bytes, from the
    configuration) and Werkzeug refused to read it (413): in whole MB, as the error page said."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    size = f"{limit // 2**20} MB" if limit >= 2**20 else f"{max(limit // 1024, 1)} kB"
    return f"Plik jest za duży – największy dopuszczalny plik ma {size}."


def too_large_page():
    """The general 413 page (service.ERRORS), for a request the upload pages cannot answer themselves."""
    from . import ERRORS  # the package imports this module's users: at call time, not at import

    title, message = ERRORS[413]
    return render_template("error.html", title=title, message=message), 413
