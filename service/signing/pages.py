"""The pages of a PDF as PNG images for the signing page: exactly the pages that get signed."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

# 150 dpi: an A4 page is 1240 px wide, sharp on a 2x tablet screen 620-680 CSS px wide.
DPI = 150
_rendering = threading.Lock()  # rendering is rare (once per PDF): one at a time is enough


def archived_pages(sha256: str) -> list[Path]:
    """The page images of an archived PDF of this app (by its SHA-256)."""
    from flask import current_app

    from .. import pipeline

    return page_images(pipeline(current_app).store.path(sha256, "pdf"), sha256,
                       current_app.config["PAGE_CACHE_DIR"])


def page_images(pdf_path: Path, sha256: str, cache_dir: Path) -> list[Path]:
    """PNG files of every page, rendered once per PDF (by its SHA-256) with poppler's pdftoppm."""
    target = Path(cache_dir) / sha256
    if not target.is_dir():
        with _rendering:
            if not target.is_dir():
                _render(pdf_path, target)
    return sorted(target.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[1]))


def _render(pdf_path: Path, target: Path) -> None:
    # Render into a temporary folder and rename it: readers never see half a document.
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=target.parent, prefix=".render-"))
    try:
        subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf_path), str(work / "page")],
                       check=True, capture_output=True, timeout=120)
        for png in work.glob("page-*.png"):  # pdftoppm pads numbers (page-01) by page count
            number = int(png.stem.split("-")[1])
            png.rename(work / f"page-{number}.png")
        os.rename(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
