"""The converter pool on a real LibreOffice: PDF/A-2b output, concurrency, crashes, hangs, stop."""
from __future__ import annotations

import io
import os
import signal
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from service.documents.convert import ConversionError, ConverterBusy, ConverterPool, shared_pool

SENTENCE = "Zażółć gęślą jaźń"
PDFAID = "http://www.aiim.org/pdfa/ns/id/"


def make_docx(paragraphs: int = 12, marker: str = "") -> bytes:
    """A DOCX in Liberation Serif: a heading with the marker, then paragraphs of Polish text."""
    doc = Document()
    doc.styles["Normal"].font.name = "Liberation Serif"
    doc.add_paragraph(f"{SENTENCE}. {marker}")
    for i in range(paragraphs):
        doc.add_paragraph(f"{i + 1}. " + f"{SENTENCE}, pchnąć w tę łódź jeża lub ośm skrzyń fig. " * 6)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def soffice_pids(profile_root: Path) -> list[int]:
    """Live soffice.bin processes whose profile lies under profile_root, found through /proc."""
    prefix = f"-env:UserInstallation={profile_root.as_uri()}/"
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if stat[stat.rindex(")") + 2] in "ZX":
            continue
        if argv[0].endswith("soffice.bin") and any(a.startswith(prefix) for a in argv):
            found.append(int(entry.name))
    return found


def cpu_ticks(pid: int) -> int:
    """User plus system CPU time of a process, in clock ticks."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])


def wait_for(condition, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def pdfa_identification(reader: PdfReader) -> tuple[str | None, str | None]:
    """(part, conformance) from the XMP metadata; XMP allows both elements and attributes."""
    xmp = ET.fromstring(reader.trailer["/Root"]["/Metadata"].get_object().get_data())
    values = {}
    for name in ("part", "conformance"):
        element = xmp.find(f".//{{{PDFAID}}}{name}")
        if element is not None:
            values[name] = element.text
        else:
            values[name] = next((e.get(f"{{{PDFAID}}}{name}") for e in xmp.iter()
                                 if e.get(f"{{{PDFAID}}}{name}") is not None), None)
    return values["part"], values["conformance"]


def fonts_by_embedding(reader: PdfReader) -> dict[str, bool]:
    """Every font used on the pages, with whether its program is embedded."""
    result = {}
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in (f.get_object() for f in fonts.values()):
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for d in descendants:
                descriptor = d.get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor is not None else {}
                result[str(d.get("/BaseFont"))] = any(
                    k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return result


@pytest.fixture(scope="session")
def lo_pool(tmp_path_factory):
    """A warm pool of two converters shared by the tests that do not break it."""
    pool = ConverterPool(2, tmp_path_factory.mktemp("lo-pool"))
    pool.start()
    yield pool
    pool.stop()


@pytest.fixture(scope="module")
def lo_crash_pool(tmp_path_factory):
    """A one-converter pool for the tests that kill or freeze LibreOffice."""
    pool = ConverterPool(1, tmp_path_factory.mktemp("lo-crash"))
    pool.start()
    yield pool
    pool.stop()


def test_converts_to_pdfa2b_with_polish_text_and_embedded_fonts(lo_pool):
    pdf = lo_pool.convert(make_docx())

    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join("".join(page.extract_text() for page in reader.pages).split())
    assert SENTENCE in text
    assert pdfa_identification(reader) == ("2", "B")
    assert "/OutputIntents" in reader.trailer["/Root"]
    fonts = fonts_by_embedding(reader)
    assert any("LiberationSerif" in name for name in fonts)
    assert all(fonts.values()), fonts


def test_concurrent_conversions_all_succeed(lo_pool):
    markers = [f"Dokument numer {i}" for i in range(8)]
    with ThreadPoolExecutor(4) as executor:
        pdfs = list(executor.map(lambda m: lo_pool.convert(make_docx(4, m)), markers))

    for marker, pdf in zip(markers, pdfs):
        text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
        assert marker in text  # each caller gets its own document back
    assert all(row["state"] == "ready" for row in lo_pool.status())


def test_killed_libreoffice_fails_the_conversion_and_is_restarted(lo_crash_pool):
    pool = lo_crash_pool
    pool.convert(make_docx(1))  # ready, whatever ran before
    [soffice] = soffice_pids(pool.profile_root)
    restarts = pool.status()[0]["restarts"]
    big = make_docx(1000)  # about 200 pages: LibreOffice needs a couple of seconds for it

    with ThreadPoolExecutor(1) as executor:
        before = cpu_ticks(soffice)
        future = executor.submit(pool.convert, big)
        wait_for(lambda: cpu_ticks(soffice) - before >= 20)  # 0.2 s of work: it is converting
        assert not future.done()
        os.kill(soffice, signal.SIGKILL)
        with pytest.raises(ConversionError) as failure:
            future.result(timeout=30)

    assert str(failure.value).startswith("Nie udało się przekształcić dokumentu do PDF")
    assert "LibreOffice" in str(failure.value)
    assert failure.value.detail
    assert pool.convert(make_docx(1)).startswith(b"%PDF")  # waits for the restart
    assert pool.status()[0]["restarts"] == restarts + 1
    assert soffice not in soffice_pids(pool.profile_root)


def test_hung_conversion_hits_the_timeout_and_the_converter_comes_back(lo_crash_pool):
    pool = lo_crash_pool
    pool.convert(make_docx(1))
    [soffice] = soffice_pids(pool.profile_root)
    pool.timeout = 2
    try:
        os.kill(soffice, signal.SIGSTOP)
        started = time.monotonic()
        with pytest.raises(ConversionError, match="przekroczono czas 2 s") as failure:
            pool.convert(make_docx(1))
        assert time.monotonic() - started < 5
        assert "Timeout" in failure.value.detail
    finally:
        pool.timeout = 30.0

    assert pool.convert(make_docx(1)).startswith(b"%PDF")
    assert soffice not in soffice_pids(pool.profile_root)


def test_health_check_restarts_an_idle_converter_that_died(lo_crash_pool):
    pool = lo_crash_pool
    pool.convert(make_docx(1))
    [soffice] = soffice_pids(pool.profile_root)
    restarts = pool.status()[0]["restarts"]

    os.kill(soffice, signal.SIGKILL)
    wait_for(lambda: pool.status()[0]["restarts"] == restarts + 1, 10)  # noticed within ~2 s
    wait_for(lambda: pool.status()[0]["state"] == "ready")
    assert soffice not in soffice_pids(pool.profile_root)
    assert pool.convert(make_docx(1)).startswith(b"%PDF")


def test_converter_is_recycled_after_recycle_after_conversions(lo_crash_pool):
    pool = lo_crash_pool
    pool.convert(make_docx(1))
    before = pool.status()[0]
    pool.recycle_after = 1
    try:
        assert pool.convert(make_docx(1)).startswith(b"%PDF")  # answered before the recycling
    finally:
        pool.recycle_after = 500
    wait_for(lambda: pool.status()[0]["state"] == "ready" and pool.status()[0]["pid"] != before["pid"])
    after = pool.status()[0]
    assert after["restarts"] == before["restarts"]  # a planned recycle is not a failure
    assert after["conversions"] == before["conversions"] + 1
    assert pool.convert(make_docx(1)).startswith(b"%PDF")


def test_stop_leaves_no_libreoffice_running(tmp_path):
    warm = ConverterPool(1, tmp_path / "warm")
    warm.start(wait=False)
    starting = shared_pool(1, tmp_path / "starting")
    assert shared_pool(1, tmp_path / "starting") is starting

    # Stopped while LibreOffice is still starting: nothing may survive the start-up thread.
    wait_for(lambda: soffice_pids(starting.profile_root))
    starting.stop()
    assert soffice_pids(starting.profile_root) == []
    with pytest.raises(ConversionError):
        starting.convert(make_docx(1))

    warm.start(wait=True)
    assert warm.convert(make_docx(1)).startswith(b"%PDF")
    assert len(soffice_pids(warm.profile_root)) == 1
    warm.stop()
    warm.stop()  # idempotent
    assert soffice_pids(warm.profile_root) == []
    time.sleep(0.5)  # nothing restarts behind our back
    assert soffice_pids(warm.profile_root) == []
    assert all(row["state"] == "dead" for row in warm.status())


def test_a_profile_root_belongs_to_one_pool_at_a_time(tmp_path):
    root = (tmp_path / "lo").resolve()
    first = ConverterPool(1, root)
    second = ConverterPool(1, root)  # the lock is per open file: a second pool here is refused too
    try:
        assert first.profile_root == root
        assert second.profile_root != root and second.profile_root.name.startswith("asysta-lo-")
    finally:
        second.stop()
        first.stop()
    assert not second.profile_root.exists()  # a private root goes with its pool
    third = ConverterPool(1, root)  # stop() released the profiles
    third.stop()
    assert third.profile_root == root and root.exists()


@pytest.fixture
def frozen(lo_crash_pool):
    """The one-converter pool with its LibreOffice stopped (SIGSTOP) and busy with one document;
    yields (pool, future of that conversion) and lets LibreOffice go on afterwards."""
    pool = lo_crash_pool
    pool.convert(make_docx(1))
    [soffice] = soffice_pids(pool.profile_root)
    limits = pool.max_queue, pool.max_wait
    os.kill(soffice, signal.SIGSTOP)
    executor = ThreadPoolExecutor(4)
    try:
        occupying = executor.submit(pool.convert, make_docx(1, "zajmuje konwerter"))
        wait_for(lambda: pool.status()[0]["state"] == "busy")
        yield pool, executor, occupying
    finally:
        os.kill(soffice, signal.SIGCONT)
        executor.shutdown(wait=True)
        pool.max_queue, pool.max_wait = limits


def test_beyond_the_queue_a_document_is_refused_at_once_with_a_retry_estimate(frozen):
    pool, executor, occupying = frozen
    pool.max_queue = 1
    waiting = executor.submit(pool.convert, make_docx(1, "czeka w kolejce"))
    wait_for(lambda: pool.waiting == 1)

    with pytest.raises(ConverterBusy) as refused:
        pool.convert(make_docx(1, "odrzucony"))

    assert isinstance(refused.value, ConversionError)  # every caller of convert() handles it
    assert refused.value.retry_after >= 1
    assert str(refused.value).startswith("Serwer przygotowuje teraz zbyt wiele dokumentów naraz")
    assert f"za około {refused.value.retry_after} s" in str(refused.value)
    assert not waiting.done() and not occupying.done()  # refusing one disturbs no one
    [soffice] = soffice_pids(pool.profile_root)
    os.kill(soffice, signal.SIGCONT)
    for future, marker in ((occupying, "zajmuje konwerter"), (waiting, "czeka w kolejce")):
        text = " ".join(PdfReader(io.BytesIO(future.result(timeout=60))).pages[0].extract_text().split())
        assert marker in text
    assert pool.waiting == 0


def test_a_document_that_waits_too_long_is_refused(frozen):
    pool, executor, occupying = frozen
    pool.max_queue, pool.max_wait = 5, 1.0
    with pytest.raises(ConverterBusy) as refused:
        pool.convert(make_docx(1))
    assert "within 1 s" in refused.value.detail
    assert pool.waiting == 0
    [soffice] = soffice_pids(pool.profile_root)
    os.kill(soffice, signal.SIGCONT)
    assert occupying.result(timeout=60).startswith(b"%PDF")


def test_a_slot_refuses_before_its_block_runs(frozen):
    pool, executor, occupying = frozen
    pool.max_queue = 0
    ran = []
    with pytest.raises(ConverterBusy):
        with pool.slot():
            ran.append("work that would have to be undone")  # e.g. reserving a case number
    assert ran == [] and pool.waiting == 0
    [soffice] = soffice_pids(pool.profile_root)
    os.kill(soffice, signal.SIGCONT)
    assert occupying.result(timeout=60).startswith(b"%PDF")


def test_a_slot_holds_its_converter_until_the_block_ends(lo_crash_pool):
    pool = lo_crash_pool
    pool.convert(make_docx(1))
    before = pool.status()[0]
    with pytest.raises(ValueError):
        with pool.slot():
            assert pool.status()[0]["state"] == "busy"  # held before any conversion
            raise ValueError("rendering failed")
    assert pool.status()[0]["state"] == "ready"  # given back unharmed
    with pool.slot() as convert:
        texts = [" ".join(PdfReader(io.BytesIO(convert(make_docx(1, m)))).pages[0].extract_text().split())
                 for m in ("pierwszy", "drugi")]
        assert pool.status()[0]["state"] == "busy"
        with pytest.raises(ConverterBusy):  # the only converter is held: no one else gets it
            limits = pool.max_queue
            pool.max_queue = 0
            try:
                pool.convert(make_docx(1))
            finally:
                pool.max_queue = limits
    assert "pierwszy" in texts[0] and "drugi" in texts[1]
    after = pool.status()[0]
    assert after["state"] == "ready" and after["conversions"] == before["conversions"] + 2
    assert after["pid"] == before["pid"] and after["restarts"] == before["restarts"]


def test_a_slot_whose_libreoffice_dies_converts_no_more_and_the_converter_comes_back(lo_crash_pool):
    pool = lo_crash_pool
    pool.convert(make_docx(1))
    [soffice] = soffice_pids(pool.profile_root)
    restarts = pool.status()[0]["restarts"]
    pool.timeout = 10
    try:
        with pool.slot() as convert:
            os.kill(soffice, signal.SIGKILL)
            time.sleep(3)  # longer than the health check's interval: it must leave a held converter alone
            assert pool.status()[0]["restarts"] == restarts
            with pytest.raises(ConversionError, match="Nie udało się"):
                convert(make_docx(1))
            with pytest.raises(ConversionError, match="niedostępny"):
                convert(make_docx(1))  # not on whatever the pool now starts for someone else
    finally:
        pool.timeout = 30.0
    assert pool.convert(make_docx(1)).startswith(b"%PDF")  # waits for the restart
    assert pool.status()[0]["restarts"] == restarts + 1
    assert soffice not in soffice_pids(pool.profile_root)
