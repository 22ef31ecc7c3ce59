"""Generates the docxtpl templates forms_templates/<slug>/<version>.docx (official Polish letters) with python-docx.

Run: .venv/bin/python scripts/build_templates.py [output_root]   (builds every version of every template)

Each document type's templates are built by its own module, scripts/templates/<slug>.py, which
declares `BUILDERS = {"v1": build_v1, ...}` (a value may be `(builder, letter_kit.Style)`; a bare
builder is built with letter_kit.CURRENT). This script discovers the modules: adding a type's
template needs no edit here. The parts of an official letter are in letter_kit.py.

The generated files are committed as immutable template versions (archived documents name the
version and its SHA-256, listed in forms_templates/SHA256SUMS), so a rebuild must give
byte-identical files; change a template by adding a version, never by changing how an existing one
is built. The first three types' versions:
- v1: the first templates;
- v2: the same layout and wording, with the wording typeset for Polish (scripts/template_text.py:
  no line break after a one-letter word, inside „art. 13”, between a postal code and its town...);
- v3: v2 with no slash form: every sentence agrees with the persons in it and names stand in the
  case the sentence needs, through the grammar filters `named`, `agree` and `agree_number`
  (service/documents/grammar.py, forms_templates/README.md). The v1/v2 builders stay as they
  were, so that those versions rebuild byte for byte;
- v4: v3 with the signatures kept with the text they sign and „Otrzymują:” with the signatures
  (forms_templates/README.md, „Signatures stay with the text they sign”); v3 is built by the same
  builder with v4=False, as it was.
"""
from __future__ import annotations

import importlib.util
import io
import sys
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Callable

# the repository first: template_text imports service.documents.typesetting of this checkout
SCRIPTS = Path(__file__).resolve().parent
sys.path[:0] = [str(SCRIPTS), str(SCRIPTS.parent)]
import letter_kit  # noqa: E402

ROOT = SCRIPTS.parent / "forms_templates"
TEMPLATE_MODULES = SCRIPTS / "templates"
FIXED_DATE = letter_kit.FIXED_DATE


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"asysta_templates.{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def builders() -> dict[str, dict[str, tuple[Callable[[], object], letter_kit.Style]]]:
    """slug -> version -> (builder, style), from every scripts/templates/<slug>.py."""
    found = {}
    for path in sorted(TEMPLATE_MODULES.glob("*.py")):
        if path.stem.startswith("_"):
            continue
        found[path.stem] = {version: entry if isinstance(entry, tuple) else (entry, letter_kit.CURRENT)
                            for version, entry in _load(path).BUILDERS.items()}
    return found


def save_reproducibly(doc, out: Path) -> None:
    """Saves `doc` with fixed zip timestamps so that rebuilding gives byte-identical files."""
    buf = io.BytesIO()
    doc.save(buf)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            dst.writestr(zipfile.ZipInfo(name, date_time=FIXED_DATE.timetuple()[:6]), src.read(name),
                         compress_type=zipfile.ZIP_DEFLATED)


def build(slug: str, version: str, table: dict | None = None):
    """The python-docx Document of one template version (raises KeyError for an unknown slug or version)."""
    builder, style = (table or builders())[slug][version]
    letter_kit.use_style(style)
    try:
        return builder()
    finally:
        letter_kit.use_style(None)


def main(root: Path = ROOT, slugs: tuple[str, ...] = ()) -> list[Path]:
    """Builds every version of every template (or of `slugs`) into root/<slug>/<version>.docx;
    returns the paths written."""
    table = builders()
    written = []
    for slug, versions in table.items():
        if slugs and slug not in slugs:
            continue
        for version in versions:
            out = root / slug / f"{version}.docx"
            out.parent.mkdir(parents=True, exist_ok=True)
            save_reproducibly(build(slug, version, table), out)
            print(out)
            written.append(out)
    return written


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT, tuple(sys.argv[2:]))
