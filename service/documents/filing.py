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
# The assistants' monthly time reports (monthly_time_report): a report of the employee's working
# time, not of any family's support, so not in a family's case. Each assistant's reports of a year
# are one case of this class assigned to the assistant (issuing.staff_case), which the assistant
# and the roles that manage the assistants' work read (families.access.visible_documents): the
# office's personnel-administration matter, kept apart from the families' files.
STAFF_TIME = FilingClass("staff_time", "Ewidencja czasu pracy asystentów rodziny – miesięczne sprawozdania")

# Every declared class, in the order the administrator's page lists them.
FILING_CLASSES = (FAMILY_SUPPORT, ZA_ZYCIEM, STAFF_TIME)
