"""Marking Polish text for translation where no request (and so no language) is known yet.

The source language of every message is Polish; `pybabel extract` (babel.cfg) collects the
strings marked here, and the pages that are translated (the family's signing pages,
service/signing/language.py) translate them with gettext where they are shown.
"""
from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def N_(message: str) -> str:
    """Marks a Polish message for `pybabel extract` without translating it. Takes and returns the
    message unchanged (gettext translates it later, in the request's language)."""
    return message


TRANSLATIONS = Path(__file__).parent / "translations"
log = logging.getLogger(__name__)


def compile_catalogues(root: Path = TRANSLATIONS) -> list[Path]:
    """Compiles every `<lang>/LC_MESSAGES/*.po` under `root` whose `.mo` is missing or older.

    The .mo files are generated data, never committed: scripts/install compiles them
    (`pybabel compile`), and the app does it again at start for a checkout that has not run it
    (CI, a fresh clone) or whose .po files changed since. Each file is written to a temporary name
    and renamed, so workers starting together never read half a file. A catalogue with errors
    raises (babel's ValueError); a folder the app may not write is logged and left to the install
    step. Returns the .mo files written."""
    written = []
    for po in sorted(root.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parents[1].name)
        try:
            handle, temporary = tempfile.mkstemp(dir=po.parent, prefix=".messages-", suffix=".mo")
            with os.fdopen(handle, "wb") as target:
                write_mo(target, catalog)
            os.replace(temporary, mo)
        except OSError as exc:
            log.warning("cannot compile %s (%s): run scripts/install", po, exc)
            continue
        written.append(mo)
    return written
