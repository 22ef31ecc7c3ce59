"""Benchmark: heavy and hostile uploads on /verify and /scans, through a real threaded server,
while another client opens /login every 0.25 s.

    .venv/bin/python bench/uploads.py [CASE ...] [--root PATH]

Each case runs in a fresh process of its own and prints: the answers' status codes, seconds to the
slowest answer, the message at the file's field, the slowest /login meanwhile, how much the serving
process grew (peak RSS over RSS before), and the peak RSS of the largest process it started (a
parsing child, poppler), both sampled every 20 ms.
--root runs another checkout of the service (e.g. `git archive main | tar -x -C /tmp/main`) with
the same files, for before/after figures; the files come from tests/hostile_uploads.py of this one.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def legit_scan_pdf(pages: int = 20) -> bytes:
    """A scanner's PDF: `pages` A4 pages, each a 300-dpi colour JPEG of a page with text lines."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    page = Image.new("RGB", (2480, 3508), (250, 248, 240))
    draw = ImageDraw.Draw(page)
    for y in range(600, 3300, 60):
        draw.line((250, y, 250 + 1900 - (y * 37) % 500, y), fill=(40, 40, 60), width=8)
    jpeg = io.BytesIO()
    page.save(jpeg, "JPEG", quality=85)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for _ in range(pages):
        pdf.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 0, 0, width=A4[0], height=A4[1])
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def cases() -> dict[str, tuple[str, str, int]]:
    """Case name -> (route, the function of tests/hostile_uploads.py or this file making the file,
    how many are sent at once)."""
    return {"verify_text_heavy": ("/verify", "text_heavy_pdf", 1),
            "verify_text_heavy_x2": ("/verify", "text_heavy_pdf", 2),
            "scan_tiff_bomb": ("/scans", "tiff_bomb", 1),
            "scan_tiff_bomb_x4": ("/scans", "tiff_bomb", 4),
            "scan_tiff_at_the_limits": ("/scans", "tiff_at_the_limits", 1),
            "scan_20_pages_300_dpi": ("/scans", "legit_scan_pdf", 1)}


def make(function: str) -> bytes:
    import tests.hostile_uploads as hostile

    return (getattr(hostile, function, None) or globals()[function])()


def run_case(name: str, root: Path) -> dict:
    """Serves the app of `root` on a free port and sends the case's file(s); the measurements."""
    import psutil
    import requests
    from werkzeug.serving import make_server

    route, function, copies = cases()[name]
    data = make(function)
    sys.path.insert(0, str(root))
    for module in [m for m in sys.modules if m == "tests" or m.startswith("tests.")]:
        del sys.modules[module]  # the tests package of `root` from now on
    work = Path(tempfile.mkdtemp(prefix="asysta-bench-uploads-"))
    os.environ["ASYSTA_INSTANCE_DIR"] = str(work / "instance")
    from service import create_app
    from service.accounts.models import User
    from service.extensions import db

    app = create_app({"ADMIN_PASSWORD": "bench-admin-password", "CONVERTER_AUTOSTART": False,
                      "WTF_CSRF_ENABLED": False, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'b.sqlite'}"})
    with app.app_context():
        db.session.add(user := User(login="bench", role="assistant", full_name="Bench"))
        user.set_password("bench-password-1")
        db.session.commit()
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_port}"

    me, peak, child_peak, logins, done = psutil.Process(), [0], [0], [], threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], me.memory_info().rss)
            for child in me.children(recursive=True):
                try:
                    child_peak[0] = max(child_peak[0], child.memory_info().rss)
                except psutil.Error:
                    pass
            time.sleep(0.02)

    def probe() -> None:
        while not done.is_set():
            started = time.monotonic()
            requests.get(f"{base}/login", timeout=900)
            logins.append(time.monotonic() - started)
            time.sleep(0.25)

    answers: list = [None] * copies
    sessions = []
    for _ in range(copies):  # logged in first: a login's password hash takes 64 MB for a moment
        sessions.append(web := requests.Session())
        web.post(f"{base}/login", data={"login": "bench", "password": "bench-password-1"}, timeout=60)
    time.sleep(0.5)

    def upload(index: int) -> None:
        web = sessions[index]
        started = time.monotonic()
        response = web.post(f"{base}{route}", files={"file": ("plik.bin", data)}, timeout=1800)
        answers[index] = (response.status_code, time.monotonic() - started, response.text)

    base_rss = me.memory_info().rss
    threads = [threading.Thread(target=watch), threading.Thread(target=probe)]
    uploads = [threading.Thread(target=upload, args=(i,)) for i in range(copies)]
    for thread in threads + uploads:
        thread.start()
    for thread in uploads:
        thread.join()
    done.set()
    for thread in threads:
        thread.join()
    httpd.shutdown()
    messages = []
    for _, _, text in answers:
        found = re.findall(r'<p class="error" role="alert">([^<]*)</p>', text) or \
            re.findall(r"<p>(Dokument[^<]*|Plik[^<]*)</p>", text)
        messages.append(found[0] if found else "")
    return {"case": name, "bytes": len(data), "copies": copies, "status": [a[0] for a in answers],
            "seconds": round(max(a[1] for a in answers), 1), "message": sorted(set(messages)),
            "slowest_login_s": round(max(logins, default=0.0), 2),
            "server_rss_growth_mb": round((peak[0] - base_rss) / 2**20),
            "largest_child_rss_mb": round(child_peak[0] / 2**20)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help="cases to run (all by default)")
    parser.add_argument("--root", type=Path, default=HERE, help="the checkout of the service to run")
    parser.add_argument("--case", help=argparse.SUPPRESS)  # one case, in this process
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    if args.case:
        print(json.dumps(run_case(args.case, args.root.resolve()), ensure_ascii=False))
        return
    for name in args.cases or list(cases()):
        done = subprocess.run([sys.executable, __file__, "--case", name, "--root", str(args.root)],
                              capture_output=True, text=True, check=False)
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        print(lines[-1] if lines else f"{name}: failed\n{done.stderr[-2000:]}", flush=True)


if __name__ == "__main__":
    main()
