"""Benchmark: from the last signer's «Podpisz» to the sealed, archived signed PDF (no reconversion).

Each round issues a family consent (two signers), opens a one-time link on a second client, signs
the first step, then times the last signer's submit through the real page (HTTP request in the
test client: signature checks, images placed, evidence page, seal, archive) and, per stage, the
same work called directly.

    .venv/bin/python bench/signing.py -n 40
"""
from __future__ import annotations

import argparse
import gc
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pipeline import formdata, percentile  # noqa: E402

LINK = re.compile(r'href="http://localhost(/s/[A-Z0-9]{8})"')


def row(name: str, values: list[float]) -> str:
    return f"{name:<34}{statistics.median(values) * 1000:>9.1f}{percentile(values, 95) * 1000:>9.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=40, help="signed documents")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="asysta-bench-sign-"))
    os.environ["ASYSTA_INSTANCE_DIR"] = str(work / "instance")
    from service import create_app, pipeline
    from service.accounts.models import User
    from service.documents.registry import DOCUMENT_TYPES
    from service.extensions import db
    from tests.helpers import confirm_office
    from tests.signing.drawing import signature_post

    app = create_app({"ADMIN_PASSWORD": "bench-admin-password", "CONVERTER_AUTOSTART": False,
                      "WTF_CSRF_ENABLED": False})
    doctype = DOCUMENT_TYPES["family_consent"]
    with app.app_context():
        confirm_office()  # a fresh instance's profile is empty: nothing could be issued
        db.session.add(user := User(login="bench", role="assistant", full_name="Bench"))
        user.set_password("bench-password")
        db.session.commit()
        pipeline(app).converter.start(wait=True)
    staff = app.test_client()
    staff.post("/login", data={"login": "bench", "password": "bench-password"})
    fields = formdata(doctype)
    stroke = signature_post()
    totals: list[float] = []
    stages: dict[str, list[float]] = {}
    import service.signing.device as device

    original = device.sign  # the reference the page's device.give_signature calls: wrapped for stage timings

    def timed_sign(*a, **kw):
        signed = original(*a, **kw)
        if signed.result is not None:
            for name, value in signed.timings.items():
                stages.setdefault(name, []).append(value)
        return signed

    device.sign = timed_sign
    for i in range(5 + args.n):
        issued = staff.post("/documents/new/family_consent", data=fields)
        doc_id = issued.location.rsplit("/", 1)[1]
        started = staff.post(f"/archive/{doc_id}/signing", data={"mode": "remote"})
        link = LINK.search(staff.get(started.location).get_data(as_text=True)).group(1)
        tablet = app.test_client()
        page = tablet.get(link).location
        tablet.post(page, data={"position": 0, "read_confirmed": "y", **stroke})
        if i == 4:
            gc.collect()
            gc.freeze()
            stages.clear()
        t = time.perf_counter()
        response = tablet.post(page, data={"position": 1, "read_confirmed": "y", **stroke})
        elapsed = time.perf_counter() - t
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        if i >= 5:
            totals.append(elapsed)
    with app.app_context():
        pipeline(app).converter.stop()

    print(f"\n{args.n} × last signer of family_consent (2 signers), ms\n{'stage':<34}{'median':>9}{'p95':>9}")
    for name in ("record", "load", "evidence", "place", "seal", "archive"):
        print(row(name, stages[name]))
    print(row("sign() total", stages["total"]))
    print(row("submit → sealed, archived (HTTP)", totals))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
