"""Parsing untrusted files in a child process bounded in memory, CPU time and wall-clock time.

PDF and image libraries (pypdf, pyHanko, Pillow, poppler, zbar) cannot be told to stop after so many
seconds or bytes, and in the serving process a slow one holds the GIL and starves every other
request. So an upload is parsed in a fresh child process (a new interpreter started by subprocess:
safe from a threaded server, and unlike multiprocessing's 'spawn' it does not import the parent's
__main__) that limits itself before it reads a byte of the file: RLIMIT_AS (address space),
RLIMIT_CPU (CPU seconds; SIGXCPU ends it), RLIMIT_FSIZE (the largest file it may write) and no core
dumps; the parent kills it, with every process it started, when the wall-clock limit passes. OWASP ASVS 4.0.3 V12.1.1 (no file may cause a denial of
service) and V12.1.2 (compressed files checked against decompression bombs).

No Flask here: the service decides how many may run at once (service/uploads.py).
"""
from __future__ import annotations

import contextlib
import os
import pickle
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection

__all__ = ["Crashed", "Limits", "MemoryLimit", "SandboxError", "TimeLimit", "run"]

_REAP_GRACE = 5.0  # seconds a child that has sent its answer gets to exit before it is killed
# The child: the parent's import path, then the job (both pickled in one file, which the parent
# removes); it answers on the descriptor it is given, never on stdout, which a library may print on
_BOOTSTRAP = ("import pickle, sys\n"
              "with open(sys.argv[1], 'rb') as f:\n"
              "    sys.path[:] = pickle.load(f)\n"
              "from signatures.sandbox import _child\n"
              "_child(sys.argv[1], int(sys.argv[2]))\n")


@dataclass(frozen=True)
class Limits:
    """What one parsing process may use: address space and largest written file in bytes, CPU
    seconds (its own; each process it starts has as many again), and wall-clock seconds for the
    whole job, starting the interpreter included."""

    memory_bytes: int = 1024 * 1024 * 1024
    cpu_seconds: int = 20
    wall_seconds: float = 30.0
    file_bytes: int = 512 * 1024 * 1024


class SandboxError(Exception):
    """The child did not finish its job; the subclass says why."""


class TimeLimit(SandboxError):
    """The job ran out of wall-clock or CPU time and was killed."""


class MemoryLimit(SandboxError):
    """The job needed more memory than its limit (MemoryError in the child)."""


class Crashed(SandboxError):
    """The child ended without an answer for another reason (a signal, a library's abort)."""


def run(job: Callable[..., Iterable], *args, limits: Limits = Limits()) -> list:
    """Runs the generator function `job(*args)` in a limited child process; the list of its items.

    `job` must be importable by name (a module-level function) and its arguments and items
    picklable; items come back one by one, so large ones (page images) are never all pickled at
    once. An exception raised by `job` (e.g. signatures.qr.ScanError) is raised here as it was.
    Raises TimeLimit, MemoryLimit or Crashed when the child does not finish; blocks the calling
    thread (not the GIL) up to limits.wall_seconds plus a few seconds to clean up.
    """
    work_dir = tempfile.mkdtemp(prefix="asysta-parse-")  # private (0700); removed whatever happens
    payload = os.path.join(work_dir, "job.pickle")
    with open(payload, "wb") as out:
        pickle.dump(list(sys.path), out)
        pickle.dump((job, args, limits, work_dir), out)
    readable, writable = os.pipe()
    receive = Connection(readable, writable=False)
    deadline = time.monotonic() + limits.wall_seconds
    child, answered = None, False
    try:
        # A new interpreter (no fork of a threaded server), in a session of its own: its process
        # group is killed as a whole, poppler included
        child = subprocess.Popen([sys.executable, "-I", "-c", _BOOTSTRAP, payload, str(writable)],
                                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, pass_fds=(writable,),
                                 start_new_session=True, env=_child_environment(work_dir))
        os.close(writable)  # the child holds the only sending end: its exit means end of file here
        writable = None
        items: list = []
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not receive.poll(remaining):
                raise TimeLimit(f"no answer within {limits.wall_seconds:g} s")
            try:
                kind, value = receive.recv()
            except EOFError:  # the child died without its last word
                raise _death(child) from None
            answered = kind != "item"
            if kind == "item":
                items.append(value)
            elif kind == "done":
                return items
            elif kind == "memory":
                raise MemoryLimit(value)
            else:  # "error": the job's own exception
                raise value
    finally:
        if writable is not None:
            os.close(writable)
        if child is not None:
            _end(child, answered)  # answered: it has sent its last word and exits by itself
        receive.close()
        shutil.rmtree(work_dir, ignore_errors=True)


def _child_environment(work_dir: str) -> dict[str, str]:
    """What the child sees of the environment: the programs' path and its temporary folder; none
    of the service's settings (ASYSTA_SEAL_PASSPHRASE, the database URL) reach a file's parser."""
    return {"PATH": os.environ.get("PATH", os.defpath), "LANG": "C.UTF-8", "HOME": work_dir, "TMPDIR": work_dir}


def _death(child: subprocess.Popen) -> SandboxError:
    """Why a child ended without answering: SIGXCPU means its CPU time, anything else a crash."""
    try:
        code = child.wait(_REAP_GRACE)
    except subprocess.TimeoutExpired:
        return Crashed("closed its pipe but did not exit")
    if code in (-signal.SIGXCPU, -signal.SIGKILL):  # the soft CPU limit, or the hard one after it
        return TimeLimit(f"CPU limit (exit code {code})")
    return Crashed(f"exit code {code}")


def _end(child: subprocess.Popen, answered: bool) -> None:
    """Lets a child that has answered exit; kills it, and everything it started, otherwise; reaps it."""
    if answered and child.returncode is None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(_REAP_GRACE)
    if child.returncode is None:
        # Not reaped yet (only wait() and poll() reap), so its pid, and the process group it
        # leads, are still its own
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signal.SIGKILL)
        child.kill()
        child.wait()


def _child(payload: str, answer_fd: int) -> None:
    """In the child: limit this process, run the job, send its items, then "done" or why not."""
    send = Connection(answer_fd, readable=False)
    try:
        with open(payload, "rb") as source:
            pickle.load(source)  # the import path, already in place
            job, args, limits, work_dir = pickle.load(source)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file with a family's document in it
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        usage = resource.getrusage(resource.RUSAGE_SELF)
        used = int(usage.ru_utime + usage.ru_stime)  # starting the interpreter is not the job's time
        # soft: SIGXCPU, which ends the process; hard, a second later: SIGKILL
        resource.setrlimit(resource.RLIMIT_CPU, (used + limits.cpu_seconds, used + limits.cpu_seconds + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
        tempfile.tempdir = work_dir  # temporary files where the parent removes them, even after a kill
        for item in job(*args):
            send.send(("item", item))
            del item
        send.send(("done", None))
    except MemoryError:
        send.send(("memory", "memory limit"))
    except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
        try:
            send.send(("error", exc))
        except Exception:  # an exception that does not pickle: its text at least
            send.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        send.close()
