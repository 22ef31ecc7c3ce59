"""The limited child process that parses uploads: its items, its errors, and its limits enforced."""
from __future__ import annotations

import errno
import os
import subprocess
import time
from pathlib import Path

import pytest

from signatures.qr import ScanError
from signatures.sandbox import Crashed, Limits, MemoryLimit, TimeLimit, run

# The jobs run in the child, which imports them from this module by name


def counting(n: int):
    for index in range(n):
        yield {"index": index, "pid": os.getpid(), "payload": bytes(1000 * index)}


def refusing(message: str):
    yield "first"
    raise ScanError(message)


def spinning(seconds: float):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass
    yield "finished"


def sleeping_with_a_helper(marker: str):
    # a grandchild (as poppler is) that would outlive its parent unless the group is killed
    helper = subprocess.Popen(["sleep", "300"])
    Path(marker).write_text(str(helper.pid))
    time.sleep(300)
    yield "never"


def hoarding(megabytes: int):
    yield len(bytearray(megabytes * 1024 * 1024))


def aborting():
    os.abort()
    yield "never"


def writing(directory: str, megabytes: int):
    (Path(directory) / "big").write_bytes(bytes(megabytes * 1024 * 1024))
    yield "written"


def test_items_come_back_in_order_from_another_process():
    items = run(counting, 4)
    assert [item["index"] for item in items] == [0, 1, 2, 3]
    assert {item["pid"] for item in items} != {os.getpid()}
    assert items[3]["payload"] == bytes(3000)


def test_the_jobs_own_error_is_raised_as_it_was():
    with pytest.raises(ScanError, match="^Skan jest nieczytelny.$"):
        run(refusing, "Skan jest nieczytelny.")


def test_wall_clock_limit_kills_the_job_and_what_it_started(tmp_path):
    marker = tmp_path / "helper.pid"
    started = time.monotonic()
    with pytest.raises(TimeLimit):
        run(sleeping_with_a_helper, str(marker), limits=Limits(wall_seconds=3))
    assert time.monotonic() - started < 60  # seconds, not the job's five minutes
    helper = int(marker.read_text())
    for _ in range(50):  # killed with its group; reaped by init at its own pace
        if not Path(f"/proc/{helper}").exists() or "State:\tZ" in Path(f"/proc/{helper}/status").read_text():
            break
        time.sleep(0.1)
    else:
        pytest.fail("the job's helper process outlived it")


def test_cpu_limit_ends_a_busy_job():
    with pytest.raises(TimeLimit):
        run(spinning, 120, limits=Limits(cpu_seconds=1, wall_seconds=110))


def test_memory_limit_is_a_memory_error_not_a_crash_of_the_server():
    assert run(hoarding, 50, limits=Limits(memory_bytes=512 * 1024 * 1024)) == [50 * 1024 * 1024]
    with pytest.raises(MemoryLimit):
        run(hoarding, 2048, limits=Limits(memory_bytes=512 * 1024 * 1024))


def test_a_crash_is_reported_as_such():
    with pytest.raises(Crashed):
        run(aborting)


def test_files_it_writes_are_limited(tmp_path):
    with pytest.raises(OSError) as caught:  # Python ignores SIGXFSZ: the write fails instead
        run(writing, str(tmp_path), 64, limits=Limits(file_bytes=16 * 1024 * 1024))
    assert caught.value.errno == errno.EFBIG


def environment():
    yield dict(os.environ)


def test_the_services_settings_do_not_reach_the_parser(monkeypatch):
    monkeypatch.setenv("ASYSTA_SEAL_PASSPHRASE", "tajne-haslo-pieczeci")
    (seen,) = run(environment)
    assert not any(name.startswith("ASYSTA_") for name in seen) and "PATH" in seen
