"""The filing classes (JRWA) document types are filed under, declared once as objects.

A document type names its class by the constant (`filing_class=FAMILY_SUPPORT`). The office's
table of classes (office.models.JrwaClass: the symbol and archival category from the office's own
wykaz akt) starts from these, and a class missing from it is added with its suggested heading when
first needed (office.models.filing_row), so no declared class is ever missing at issue time.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FilingClass:
    """A class of the office's filing plan: its key (jrwa_classes.key, cases.jrwa_key) and the
    heading suggested until the administrator gives the office's own."""

    key: str
    heading: str


FAMILY_SUPPORT = FilingClass("family_support", "Asysta rodzinna – wspieranie rodziny (ustawa o wspieraniu rodziny)")
ZA_ZYCIEM = FilingClass("za_zyciem", "Koordynacja wsparcia – ustawa „Za życiem”")

# Every declared class, in the order the administrator's page lists them.
FILING_CLASSES = (FAMILY_SUPPORT, ZA_ZYCIEM)
