"""One unoserver process with its own LibreOffice, profile and ports: start, probe, convert, kill."""
from __future__ import annotations

import functools
import http.client
import io
import os
import shutil
import signal
import socket
import subprocess
import time
import xmlrpc.client
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

API_VERSION = "3"  # the unoserver XML-RPC API the calls below are written against (unoserver 3.x)
# LibreOffice's PDF export filter options: 2 = PDF/A-2b; tagged (a structure tree, /MarkInfo, the
# document's language as /Lang; LibreOffice 7.4 tags PDF/A-2 anyway, this makes it explicit).
# Not PDFUACompliance: LibreOffice 7.4 then writes pdfuaid:part into the XMP without the extension
# schema PDF/A-2 requires for it (ISO 19005-2, 6.6.2.3.2), which makes the file invalid PDF/A-2b,
# and the signed versions' added pages could not honour the claim anyway.
PDF_A_2B = ["SelectPdfVersion=2", "UseTaggedPDF=true"]
_LOG_LIMIT = 1_000_000  # bytes; the log is rotated once at start so a crash loop cannot fill the disk
_RPC_ERRORS = (OSError, xmlrpc.client.Error, http.client.HTTPException)

# Runs unoserver so that its process group (unoserver, oosplash, soffice.bin) ends with the process
# that started it, however that one ends (SIGKILL included): a thread watches the parent pid and
# kills the group once we are re-parented. Polling getppid() follows the parent process, where
# PR_SET_PDEATHSIG would fire when the forking *thread* ends, and would reach unoserver alone.
# argv: the parent's pid, then unoserver's arguments.
_LAUNCH = (
    "import os,runpy,signal,sys,threading,time\n"
    "parent=int(sys.argv.pop(1))\n"
    "def watch():\n"
    "    while os.getppid()==parent: time.sleep(0.5)\n"
    "    os.killpg(0,signal.SIGKILL)\n"
    "threading.Thread(target=watch,daemon=True,name='parent-watch').start()\n"
    "runpy.run_module('unoserver.server',run_name='__main__',alter_sys=True)\n")


class _TimeoutTransport(xmlrpc.client.Transport):
    """XML-RPC over HTTP with a socket timeout (the stock transport, used by UnoClient, has none)."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host):
        conn = super().make_connection(host)
        conn.timeout = self._timeout  # read by connect(), and the socket keeps it for every recv
        return conn


def processes() -> Iterator[tuple[int, int, list[str]]]:
    """(pid, process group, argv) of every live process, read from /proc; zombies are skipped."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
            with open(f"/proc/{entry.name}/cmdline", "rb") as f:
                argv = [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
        except OSError:  # the process ended while we looked
            continue
        # the command name in parentheses may contain spaces: the fields start after the last ")"
        state, _ppid, pgid = stat[stat.rindex(")") + 2:].split()[:3]
        if state not in "ZX":
            yield int(entry.name), int(pgid), argv


def profile_processes(profile_dir: Path) -> list[int]:
    """Pids of the live processes using this LibreOffice profile (unoserver, oosplash, soffice.bin)."""
    return [pid for pid, _, argv in processes() if _uses_profile(argv, profile_dir)]


def _group(pgid: int) -> list[tuple[int, list[str]]]:
    return [(pid, argv) for pid, group, argv in processes() if group == pgid]


def _uses_profile(argv: list[str], profile_dir: Path) -> bool:
    return str(profile_dir) in argv or f"-env:UserInstallation={profile_dir.as_uri()}" in argv


def _is_soffice(argv: list[str]) -> bool:
    return bool(argv) and argv[0].endswith("soffice.bin")


def _wait_until(done: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def _free_ports(host: str, count: int) -> list[int]:
    # All sockets stay open until every port is known, so the ports differ from one another.
    socks = [socket.socket() for _ in range(count)]
    try:
        for s in socks:
            s.bind((host, 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


class Converter:
    """One unoserver server (and the soffice.bin it spawns) in its own process group."""

    def __init__(self, profile_dir: Path, log_path: Path, python: str, host: str) -> None:
        self.profile_dir = profile_dir
        self.log_path = log_path
        self.python = python
        self.host = host
        self.proc: subprocess.Popen | None = None
        self.port: int | None = None
        self.soffice_pid: int | None = None

    @property
    def pid(self) -> int | None:
        """Pid of the unoserver process, which leads the process group."""
        return self.proc.pid if self.proc else None

    def command(self, port: int, uno_port: int) -> list[str]:
        """The unoserver command line (no --logfile: it re-spawns itself out of our reach), run
        through _LAUNCH so that it ends when this process ends."""
        cmd = [self.python, "-c", _LAUNCH, str(os.getpid()), "--interface", self.host, "--port", str(port),
               "--uno-port", str(uno_port), "--user-installation", str(self.profile_dir)]
        # Resolved here so that a service started with a thin PATH still finds LibreOffice.
        soffice = shutil.which("soffice") or "/usr/lib/libreoffice/program/soffice"
        return [*cmd, "--executable", soffice]

    def spawn(self) -> None:
        """Starts the server on fresh free ports, without waiting for it."""
        self.profile_dir.mkdir(parents=True, exist_ok=True)
        if self.log_path.exists() and self.log_path.stat().st_size > _LOG_LIMIT:
            self.log_path.replace(self.log_path.with_suffix(".log.1"))
        self.port, uno_port = _free_ports(self.host, 2)
        self.soffice_pid = None
        with open(self.log_path, "ab") as log:
            # Own session: soffice.bin is a grandchild, and only killing the group reaches it.
            self.proc = subprocess.Popen(self.command(self.port, uno_port), stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def _proxy(self, timeout: float) -> xmlrpc.client.ServerProxy:
        return xmlrpc.client.ServerProxy(f"http://{self.host}:{self.port}", allow_none=True,
                                         transport=_TimeoutTransport(timeout))

    def wait_ready(self, deadline: float) -> None:
        """Blocks until the server answers info(); raises if it exits or the monotonic deadline passes."""
        while True:
            if self.proc is None or self.proc.poll() is not None:
                code = self.proc.returncode if self.proc else None
                raise RuntimeError(f"unoserver exited ({code}) while starting: {self.log_tail()}")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"unoserver did not answer in time: {self.log_tail()}")
            try:
                # unoserver sleeps 5 s before it serves; until then connections are refused or queue up
                with self._proxy(min(remaining, 5.0)) as proxy:
                    info = proxy.info()
            except _RPC_ERRORS:
                time.sleep(0.2)
                continue
            if info.get("api") != API_VERSION:
                raise RuntimeError(f"unoserver speaks API {info.get('api')}, expected {API_VERSION}")
            pgid = self.proc.pid
            self.soffice_pid = next((pid for pid, argv in _group(pgid) if _is_soffice(argv)), None)
            return

    def convert(self, docx: bytes, timeout: float) -> bytes:
        """PDF/A-2b bytes of a DOCX; raises TimeoutError after timeout seconds, or whatever failed."""
        # The call UnoClient.convert(indata=..., convert_to="pdf", filter_options=PDF_A_2B,
        # update_index=False) makes, without its info() round trip before every conversion.
        with self._proxy(timeout) as proxy:
            result = proxy.convert(None, xmlrpc.client.Binary(docx), None, "pdf", None, PDF_A_2B,
                                   False, None, None)
        pdf = result.data if result is not None else b""
        if not pdf.startswith(b"%PDF"):
            raise RuntimeError(f"LibreOffice returned {len(pdf)} bytes that are not a PDF")
        return pdf

    def alive(self) -> bool:
        """Whether unoserver and (once known) its soffice.bin are still running."""
        if self.proc is None or self.proc.poll() is not None:
            return False
        if self.soffice_pid is None:
            return True
        try:
            with open(f"/proc/{self.soffice_pid}/stat", "rb") as f:
                stat = f.read().decode(errors="replace")
        except OSError:
            return False
        state, _ppid, pgid = stat[stat.rindex(")") + 2:].split()[:3]
        return state not in "ZX" and int(pgid) == self.proc.pid  # the pgid check guards pid reuse

    def terminate(self) -> None:
        """Sends SIGTERM to the process group without waiting (kill() then waits and finishes)."""
        if self.proc is not None and self.proc.poll() is None:
            _signal_group(self.proc.pid, signal.SIGTERM)

    def kill(self, grace: float = 0.0) -> None:
        """Ends the process group (SIGTERM, SIGKILL after grace s) and any process on our profile."""
        pgid = self.proc.pid if self.proc is not None else None
        # Once the leader is reaped its pid may be reused: signal the group only while it is ours.
        if pgid is not None and any(_uses_profile(a, self.profile_dir) for _, a in _group(pgid)):
            if grace > 0:
                _signal_group(pgid, signal.SIGTERM)
                # soffice.bin exits on SIGTERM, but oosplash then hangs for good: wait for soffice only
                _wait_until(lambda: not any(_is_soffice(a) for _, a in _group(pgid)), grace)
            _signal_group(pgid, signal.SIGKILL)
            _wait_until(lambda: not _group(pgid), 5.0)
        if self.proc is not None:
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
        # Leftovers from a previous run on this profile (a service killed with SIGKILL) would hold
        # its lock and ports; the profile directory is private to this converter, so they are ours.
        for pid in profile_processes(self.profile_dir):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc = None
        self.soffice_pid = None

    def log_tail(self, size: int = 600) -> str:
        """The end of the server's log, for error details."""
        try:
            with open(self.log_path, "rb") as f:
                f.seek(max(0, f.seek(0, os.SEEK_END) - size))
                return f.read().decode(errors="replace").strip()
        except OSError:
            return ""


@functools.cache
def warmup_docx() -> bytes:
    """A one-paragraph DOCX with Polish text, so the warm-up loads the filters and the fonts."""
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
            'main+xml"/></Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
            '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
            'formats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"'
            '/></Relationships>',
        "word/document.xml":
            f'<?xml version="1.0" encoding="UTF-8"?><w:document {ns}><w:body><w:p><w:r><w:rPr>'
            '<w:rFonts w:ascii="Liberation Serif" w:hAnsi="Liberation Serif"/></w:rPr>'
            '<w:t>Zażółć gęślą jaźń</w:t></w:r></w:p></w:body></w:document>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buf.getvalue()
