"""Benchmark: N documents from form data to sealed archive through the real pipeline, per stage,
then the same documents with one `soffice --headless --convert-to pdf` process each.

    .venv/bin/python bench/pipeline.py -n 40 [--baseline 10]
"""
from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from werkzeug.datastructures import MultiDict  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def row(name: str, values: list[float]) -> str:
    return f"{name:<28}{statistics.median(values) * 1000:>9.1f}{percentile(values, 95) * 1000:>9.1f}"


def formdata(doctype) -> MultiDict:
    from tests.helpers import form_data

    data = MultiDict()
    for key, value in form_data(doctype, doctype.sample_data).items():
        for v in value if isinstance(value, list) else [value]:
            data.add(key, "y" if v is True else str(v))
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=40, help="documents through the pipeline")
    parser.add_argument("--baseline", type=int, default=10, help="documents through soffice, one process each")
    parser.add_argument("--type", default="family_consent")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="asysta-bench-"))
    os.environ["ASYSTA_INSTANCE_DIR"] = str(work / "instance")
    from service import create_app, pipeline
    from service.accounts.models import User
    from service.documents.registry import DOCUMENT_TYPES
    from service.extensions import db
    from service.forms_builder import form_class
    from service.audit import Origin
    from service.issuing import issue
    from tests.helpers import confirm_office

    app = create_app({"ADMIN_PASSWORD": "bench-admin-password", "CONVERTER_AUTOSTART": False})
    doctype = DOCUMENT_TYPES[args.type]
    stages: dict[str, list[float]] = {}
    docx_samples: list[bytes] = []
    with app.test_request_context():
        confirm_office()  # a fresh instance's profile is empty: nothing could be issued
        # the head: a bench of 45 new families would pass an assistant's limit of 15 (art. 15 ust. 4)
        user = User(login="bench", role="head" if "head" in doctype.issued_by else sorted(doctype.issued_by)[0],
                    full_name="Bench")
        user.set_password("bench-password")
        db.session.add(user)
        db.session.commit()
        pipe = pipeline(app)
        pipe.converter.start(wait=True)
        fd = formdata(doctype)
        for i in range(5 + args.n):
            t0 = time.perf_counter()
            form = form_class(doctype)(formdata=fd, meta={"csrf": False})
            assert form.validate(), form.errors
            data = form.cleaned_data()
            t1 = time.perf_counter()
            issued = issue(user, Origin(channel="job"), doctype, data)
            end = time.perf_counter()
            if i == 4:
                gc.collect()
                gc.freeze()  # the warm-up's objects stay out of later collections
            if i < 5:
                continue
            stages.setdefault("validate", []).append(t1 - t0)
            for name, value in issued.timings.items():
                if name != "total":
                    stages.setdefault(name, []).append(value)
            stages.setdefault("end to end", []).append(end - t0)
            if len(docx_samples) < args.baseline:
                docx_samples.append(pipe.store.read(issued.record.docx_sha256, "docx"))
        pipe.converter.stop()

    print(f"\n{args.n} × {doctype.slug}, warm pool of {app.config['CONVERTERS']} converters "
          f"(ms)\n{'stage':<28}{'median':>9}{'p95':>9}")
    for name in ("validate", "case", "render", "convert", "markers", "seal", "archive", "end to end"):
        if name in stages:  # "case": reserving the new case's number, a short transaction of its own
            print(row(name, stages[name]))

    soffice = shutil.which("soffice") or "/usr/bin/soffice"
    profile = work / "soffice-profile"
    baseline: list[float] = []
    for i, docx in enumerate(docx_samples):
        src = work / f"doc{i}.docx"
        src.write_bytes(docx)
        t = time.perf_counter()
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(work / "out"), str(src)],
                       check=True, capture_output=True)
        if i > 0:  # the first call creates the profile: not counted, to be fair to soffice
            baseline.append(time.perf_counter() - t)
    print(row("soffice per document", baseline))
    ratio = statistics.median(baseline) / statistics.median(stages["end to end"])
    print(f"\nratio (soffice per document, conversion only / Asysta end to end, medians): {ratio:.1f}×")
    seal = stages["seal"]
    print(f"seal p95 / median: {percentile(seal, 95) / statistics.median(seal):.1f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
