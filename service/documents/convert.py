"""DOCX to PDF/A-2b through a pool of warm LibreOffice converters (unoserver), one per core.

A pool given a profile root owns it exclusively (an flock on <root>/owner.lock); a second pool,
in this or any other process, gets a private temporary root instead, so two processes never run
LibreOffice on the same profile or kill each other's converters. Waiting work is bounded: beyond
`max_queue` waiting documents per converter, or after `max_wait` seconds, slot() and convert()
raise ConverterBusy with an estimate of when to try again. slot() holds a converter for a block of
work around a conversion, so a caller is refused before it does anything it would have to undo.
"""
from __future__ import annotations

import atexit
import collections
import contextlib
import fcntl
import logging
import math
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .converter import Converter, warmup_docx

log = logging.getLogger(__name__)

_FAILED = "Nie udało się przekształcić dokumentu do PDF ({}). Spróbuj ponownie za chwilę."
_BUSY = ("Serwer przygotowuje teraz zbyt wiele dokumentów naraz. Spróbuj ponownie za około {} s "
         "– nic nie zostało zapisane.")
_HEALTH_INTERVAL = 2.0  # seconds between checks that every converter process is still there
_STOP_GRACE = 5.0  # seconds soffice.bin gets to exit on SIGTERM before SIGKILL


class ConversionError(Exception):
    """A DOCX could not be turned into a PDF: str() is the Polish user message, .detail the cause,
    .retry_after the whole seconds after which trying again should help (HTTP Retry-After)."""

    def __init__(self, message: str, detail: str = "", retry_after: int = 10) -> None:
        super().__init__(message)
        self.detail = detail
        self.retry_after = max(1, int(retry_after))


class ConverterBusy(ConversionError):
    """More documents wait for a converter than the pool admits, or one waited too long."""

    def __init__(self, retry_after: int, detail: str = "") -> None:
        super().__init__(_BUSY.format(max(1, int(retry_after))), detail, retry_after)


def _claim(root: Path) -> int | None:
    """An open descriptor holding an exclusive flock on root/owner.lock, or None if another holds it.

    The kernel drops the lock when its holder ends however it ends (even SIGKILL), so a stale
    lock cannot keep the service from its own profiles. The descriptor is not inherited by
    LibreOffice (Python opens files close-on-exec).
    """
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / "owner.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())  # for a person wondering who holds it
    return fd


@dataclass(eq=False)
class _Slot:
    """One converter and the pool's bookkeeping about it (guarded by the pool's condition)."""

    index: int
    converter: Converter
    state: str = "dead"  # starting / ready / busy / restarting / dead
    conversions: int = 0
    since_start: int = 0
    restarts: int = 0
    failures_in_row: int = 0
    retry_at: float = 0.0
    last_used: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)  # serialises spawn and kill


class ConverterPool:
    """Warm unoserver processes converting one document at a time each, restarted when they fail."""

    def __init__(self, size: int = 2, profile_root: Path | str | None = None, *, timeout: float = 30.0,
                 start_timeout: float = 90.0, recycle_after: int = 500, max_queue: int = 8,
                 max_wait: float = 30.0, python: str = sys.executable, host: str = "127.0.0.1") -> None:
        """size converters; profile_root None or held by another pool: a private temporary root,
        removed by stop(). timeout: seconds per conversion; max_queue: documents allowed to wait
        per converter; max_wait: seconds a document may wait for a free converter."""
        if size < 1:
            raise ValueError("a converter pool needs at least one converter")
        if max_queue < 0 or max_wait < 0:
            raise ValueError("max_queue and max_wait cannot be negative")
        self._lock_fd = None
        if profile_root is not None:
            # LibreOffice wants an absolute, plain profile path; each pool needs its own directory.
            self._lock_fd = _claim(Path(profile_root).resolve())
            if self._lock_fd is None:
                log.warning("LibreOffice profiles in %s are in use by another process: "
                            "this one uses a temporary folder", profile_root)
        self._own_root = self._lock_fd is None
        root = Path(profile_root) if self._lock_fd is not None else Path(tempfile.mkdtemp(prefix="asysta-lo-"))
        self.profile_root = root.resolve()
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.recycle_after = recycle_after
        self.max_queue = max_queue
        self.max_wait = max_wait
        self._waiting: collections.deque[object] = collections.deque()  # FIFO of waiting callers
        # Running estimates (seconds) for Retry-After: one hold of a converter, and one start.
        self._hold_estimate = 1.0
        self._start_estimate = 10.0
        self._slots = [_Slot(i, Converter(self.profile_root / str(i),
                                          self.profile_root / f"converter-{i}.log", python, host))
                       for i in range(size)]
        self._cond = threading.Condition()
        self._started = False
        self._stopped = False
        self._owner_pid = os.getpid()  # a forked child (gunicorn --preload) must not stop our processes
        self._health_stop = threading.Event()
        self._health: threading.Thread | None = None

    @property
    def stopped(self) -> bool:
        """Whether stop() has been called."""
        return self._stopped

    def start(self, wait: bool = True) -> None:
        """Starts all converters in parallel; with wait, returns when they are warm (raises if none is)."""
        with self._cond:
            if self._stopped:
                raise ConversionError(_FAILED.format("konwerter został zatrzymany"), "pool stopped")
            first = not self._started
            self._started = True
            if first:
                for slot in self._slots:
                    slot.state = "starting"
        if first:
            self.profile_root.mkdir(parents=True, exist_ok=True)
            atexit.register(self.stop)
            for slot in self._slots:
                threading.Thread(target=self._bring_up, args=(slot, 0.0), daemon=True,
                                 name=f"lo-start-{slot.index}").start()
            self._health = threading.Thread(target=self._watch, daemon=True, name="lo-health")
            self._health.start()
        if wait:
            self._wait_started()

    def _wait_started(self) -> None:
        deadline = time.monotonic() + self.start_timeout + 10  # the bring-up threads time out first
        with self._cond:
            while any(s.state in ("starting", "restarting") for s in self._slots) and not self._stopped:
                if not self._cond.wait(deadline - time.monotonic()):
                    break
            if not any(s.state in ("ready", "busy") for s in self._slots):
                details = "; ".join(s.converter.log_tail(300) for s in self._slots)
                raise ConversionError(_FAILED.format("konwerter nie uruchomił się"), details)

    def convert(self, docx: bytes) -> bytes:
        """PDF/A-2b bytes of a DOCX from the first idle converter, in order of arrival (slot() for
        one document). Raises what slot() and its conversion raise."""
        with self.slot() as convert:
            return convert(docx)

    @contextlib.contextmanager
    def slot(self) -> Iterator[Callable[[bytes], bytes]]:
        """Holds the first idle converter, in order of arrival, for the block; yields
        convert(docx: bytes) -> PDF/A-2b bytes on it.

        So that a caller can be refused before it does anything it would have to undo (issuing
        reserves a case number only once it holds a converter), waiting happens on entry: raises
        ConverterBusy there when max_queue documents per converter already wait or none frees up
        within max_wait seconds, ConversionError when none runs. convert() raises ConversionError
        when LibreOffice fails or exceeds `timeout` seconds; the converter is then restarted and
        further calls in the block raise ConversionError too. Leaving the block, however it is
        left, gives the converter back (recycled after recycle_after conversions).
        """
        if os.getpid() != self._owner_pid:
            raise RuntimeError("a ConverterPool cannot be used after fork: create it in the worker")
        if not self._started:
            self.start(wait=False)
        slot = self._acquire()
        taken = time.monotonic()
        lost = False  # the converter failed and is restarting: no longer ours to give back
        converted = 0

        def convert(docx: bytes) -> bytes:
            nonlocal lost, converted
            if lost:
                raise ConversionError(_FAILED.format("konwerter jest niedostępny"), "converter lost in this slot")
            try:
                pdf = slot.converter.convert(docx, self.timeout)
            except BaseException as exc:  # interrupted too: LibreOffice may still be at it
                lost = True
                pid = slot.converter.pid
                self._restart(slot, ("busy",), grace=0.0, why=f"conversion failed: {exc!r}")
                if not isinstance(exc, Exception):
                    raise
                reason = (f"przekroczono czas {self.timeout:g} s" if isinstance(exc, TimeoutError)
                          else "błąd programu LibreOffice")
                detail = f"converter {slot.index} (pid {pid}): {type(exc).__name__}: {exc}"
                raise ConversionError(_FAILED.format(reason), detail, math.ceil(self._start_estimate)) from exc
            converted += 1
            return pdf

        try:
            yield convert
        finally:
            if not lost:
                self._give_back(slot, converted, time.monotonic() - taken)

    def _give_back(self, slot: _Slot, converted: int, held: float) -> None:
        with self._cond:
            if slot.state != "busy" or self._stopped:
                return
            if converted:
                # What those waiting wait for is a whole hold (the caller's work around the conversion).
                self._hold_estimate += 0.2 * (held - self._hold_estimate)
            slot.conversions += converted
            slot.since_start += converted
            slot.last_used = time.monotonic()
            recycle = slot.since_start >= self.recycle_after
            if not recycle:
                slot.state = "ready"
                self._cond.notify_all()
        if recycle:
            # LibreOffice grows to ~230 MB over hundreds of documents: start afresh, gracefully.
            self._restart(slot, ("busy",), grace=_STOP_GRACE, why="recycling", count=False)

    def _acquire(self) -> _Slot:
        # First come, first served: a caller takes a converter only when those ahead of it have one.
        entered = time.monotonic()
        ticket = object()
        with self._cond:
            if self._stopped:
                raise ConversionError(_FAILED.format("konwerter został zatrzymany"), "pool stopped")
            idle = sum(s.state == "ready" for s in self._slots)
            live = idle + sum(s.state == "busy" for s in self._slots)
            # No converter running yet (starting, or restarting): the caller waits for the start.
            if live and len(self._waiting) >= idle + self.max_queue * len(self._slots):
                raise ConverterBusy(self._retry_after(), f"{len(self._waiting)} documents already "
                                    f"wait for {len(self._slots)} converters")
            self._waiting.append(ticket)
            try:
                while True:
                    if self._stopped:
                        raise ConversionError(_FAILED.format("konwerter został zatrzymany"), "pool stopped")
                    ready = sorted((s for s in self._slots if s.state == "ready"), key=lambda s: s.last_used)
                    if self._waiting.index(ticket) < len(ready):
                        for slot in ready:
                            if slot.converter.alive():
                                slot.state = "busy"
                                return slot
                            self._restart(slot, ("ready",), grace=0.0, why="found dead when acquired")
                        continue
                    live = any(s.state in ("ready", "busy") for s in self._slots)
                    # While no converter runs (the service is starting, or one is restarting after
                    # a crash), waiting for the start is better than refusing.
                    limit = self.max_wait if live else max(self.max_wait, self.start_timeout)
                    remaining = entered + limit - time.monotonic()
                    if remaining <= 0:
                        states = ", ".join(s.state for s in self._slots)
                        detail = f"no idle converter within {limit:g} s ({states})"
                        if any(s.state == "busy" for s in self._slots):
                            raise ConverterBusy(self._retry_after(), detail)
                        reason = "konwerter jest niedostępny"  # starting, restarting or broken
                        raise ConversionError(_FAILED.format(reason), detail, self._retry_after())
                    self._cond.wait(remaining)
            finally:
                self._waiting.remove(ticket)
                self._cond.notify_all()  # those behind us move up

    def _retry_after(self) -> int:
        # Whole seconds until the documents now waiting are done, if converters are running;
        # else until a converter should have started. Called with the condition held.
        live = sum(s.state in ("ready", "busy") for s in self._slots)
        if live == 0:
            return max(1, math.ceil(self._start_estimate))
        return max(1, math.ceil((len(self._waiting) + 1) * self._hold_estimate / live))

    def _restart(self, slot: _Slot, from_states: tuple[str, ...], grace: float, why: str,
                 count: bool = True) -> None:
        # Only one restart per converter at a time: the state check under the lock decides who does it.
        with self._cond:
            if self._stopped or slot.state not in from_states:
                return
            slot.state = "restarting"
            slot.restarts += int(count)
        log.warning("Restarting converter %d (pid %s): %s", slot.index, slot.converter.pid, why)
        threading.Thread(target=self._bring_up, args=(slot, grace), daemon=True,
                         name=f"lo-restart-{slot.index}").start()

    def _bring_up(self, slot: _Slot, grace: float) -> None:
        """(Re)starts one converter: end the old process, spawn, wait for it, warm it up."""
        conv = slot.converter
        started = time.monotonic()
        try:
            with slot.lock:
                conv.kill(grace)
                if self._stopped:
                    return
                conv.spawn()
            deadline = time.monotonic() + self.start_timeout
            conv.wait_ready(deadline)
            # The first conversion in a fresh LibreOffice loads filters and fonts (slow): pay it here.
            conv.convert(warmup_docx(), max(1.0, deadline - time.monotonic()))
        except Exception as exc:
            with slot.lock:
                conv.kill()
            if self._stopped:  # stop() killed it while it was starting: not a failure
                return
            log.error("Converter %d did not start: %r", slot.index, exc)
            with self._cond:
                slot.failures_in_row += 1
                # A broken installation would fail at once: back off instead of spinning.
                slot.retry_at = time.monotonic() + min(60.0, 2.0 ** slot.failures_in_row)
                slot.state = "dead"
                self._cond.notify_all()
            return
        with self._cond:
            if self._stopped:
                return
            slot.state = "ready"
            slot.since_start = 0
            slot.failures_in_row = 0
            self._start_estimate += 0.3 * (time.monotonic() - started - self._start_estimate)
            self._cond.notify_all()
        log.info("Converter %d ready (pid %s, port %s)", slot.index, conv.pid, conv.port)

    def _watch(self) -> None:
        """Health check: restarts idle converters whose process has gone, and retries dead ones."""
        while not self._health_stop.wait(_HEALTH_INTERVAL):
            for slot in self._slots:
                with self._cond:
                    state, retry_at = slot.state, slot.retry_at
                if state == "ready" and not slot.converter.alive():
                    self._restart(slot, ("ready",), grace=0.0, why="process exited")
                elif state == "dead" and time.monotonic() >= retry_at:
                    self._restart(slot, ("dead",), grace=0.0, why="retrying after a failed start")

    @property
    def waiting(self) -> int:
        """How many documents wait for a converter now."""
        with self._cond:
            return len(self._waiting)

    def status(self) -> list[dict]:
        """One row per converter for a health page: index, pid, port, state, conversions, restarts."""
        with self._cond:
            return [{"index": s.index, "pid": s.converter.pid, "soffice_pid": s.converter.soffice_pid,
                     "port": s.converter.port, "state": s.state, "conversions": s.conversions,
                     "restarts": s.restarts} for s in self._slots]

    def stop(self) -> None:
        """Ends every converter's process group and the health check; safe to call more than once."""
        if os.getpid() != self._owner_pid:
            return
        with self._cond:
            if self._stopped:
                return
            self._stopped = True
            self._cond.notify_all()
        self._health_stop.set()
        atexit.unregister(self.stop)

        # SIGTERM to all first, so the grace periods below overlap; no threads, as stop() also runs
        # from atexit, when newer Pythons refuse to start them.
        for slot in self._slots:
            with slot.lock:
                slot.converter.terminate()
        for slot in self._slots:
            with slot.lock:
                slot.converter.kill(_STOP_GRACE)
            with self._cond:
                slot.state = "dead"
        if self._health is not None:
            self._health.join(_HEALTH_INTERVAL + 5)
        if self._own_root:
            shutil.rmtree(self.profile_root, ignore_errors=True)
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the profiles to the next owner
            self._lock_fd = None


_shared: dict[tuple[Path, int], ConverterPool] = {}
_shared_lock = threading.Lock()


def shared_pool(size: int, profile_root: Path, *, private: bool = False, **kw) -> ConverterPool:
    """The process's one pool for (profile_root, size, private), started in the background on first
    use. private: converters on a temporary root of their own, never on profile_root itself."""
    key = (Path(profile_root).resolve(), size, private)
    with _shared_lock:
        pool = _shared.get(key)
        if pool is not None and pool._owner_pid != os.getpid():
            # Its threads stayed in the parent, and a second pool on the same profiles would fight it.
            raise RuntimeError("the shared converter pool was created before fork: create it after")
        if pool is None or pool.stopped:
            pool = _shared[key] = ConverterPool(size, None if private else key[0], **kw)
            pool.start(wait=False)
        return pool


def stop_all() -> None:
    """Stops every shared pool this process started (for a server's exit hook)."""
    with _shared_lock:
        pools = [p for p in _shared.values() if p._owner_pid == os.getpid()]
    for pool in pools:
        pool.stop()
