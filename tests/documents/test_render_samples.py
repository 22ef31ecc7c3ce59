"""scripts/render_samples.py, the sample renders people look at: each type filed under its own
class (the time report under the staff-time class, not the family-support one) and signed under
the names the samples give each role."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from tests.helpers import TEST_CLASSES, pdf_text_normalised, squash

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "render_samples.py"


def render_samples():
    """scripts/render_samples.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("render_samples", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_time_report_sample_is_filed_under_the_staff_time_class(tmp_path):
    before = os.environ.get("ASYSTA_INSTANCE_DIR")
    assert render_samples().main(tmp_path, ("monthly_time_report",), dpi=20) == 0
    assert os.environ.get("ASYSTA_INSTANCE_DIR") == before  # the throwaway instance leaves nothing set
    text = squash(pdf_text_normalised((tmp_path / "monthly_time_report.pdf").read_bytes()))
    staff_time, family_support = TEST_CLASSES["staff_time"][0], TEST_CLASSES["family_support"][0]
    # the report's own case sign under the staff-time class; the families' cases it lists are theirs
    assert f"Znaksprawy:MOPS.SPS.{staff_time}.1.2026" in text
    assert f"MOPS.SPS.{family_support}." in text
    # the assistant who reports is not the head who accepts
    assert squash("Asystent rodziny: Katarzyna Zielińska") in text and squash("Anna Nowak") in text
    assert list(tmp_path.glob("monthly_time_report-*.png"))
