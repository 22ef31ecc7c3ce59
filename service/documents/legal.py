"""The legal-basis registry: every statutory citation used in documents, declared once as objects.

A document type names its basis by the constant (`legal_basis=WR_CONSENT`), so a wrong name fails
at import. A citation is built from an Act (its title in the genitive and its Dz. U. reference,
kept here once for every basis citing it) and the article references. Nothing is stored by key:
issued documents keep their rendered text, and the API prints the citation.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Act:
    """A statute as cited after an article reference: „… ustawy z dnia … (Dz. U. z … r. poz. …)”."""

    title: str  # in the genitive, as it follows "art. 8 ust. 1"
    journal: str  # the consolidated text in force, e.g. "Dz. U. z 2025 r. poz. 49"
    short: str  # the short form for lists, e.g. "u.w.r.p.z."

    @property
    def cited(self) -> str:
        """The title with its journal reference in brackets."""
        return f"{self.title} ({self.journal})"


# Consolidated texts change every year or two: update the "Dz. U." references here, never in
# templates. Checked against the texts in force on 24 November 2026.
FAMILY_SUPPORT_ACT = Act("ustawy z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy zastępczej",
                         "Dz. U. z 2025 r. poz. 49", "u.w.r.p.z.")
ZA_ZYCIEM_ACT = Act("ustawy z dnia 4 listopada 2016 r. o wsparciu kobiet w ciąży i rodzin „Za życiem”",
                    "Dz. U. z 2024 r. poz. 1829", "ustawy „Za życiem”")
GDPR = (
    "rozporządzenia Parlamentu Europejskiego i Rady (UE) 2016/679 z dnia 27 kwietnia 2016 r. "
    "w sprawie ochrony osób fizycznych w związku z przetwarzaniem danych osobowych i w sprawie "
    "swobodnego przepływu takich danych oraz uchylenia dyrektywy 95/46/WE (RODO)"
)


@dataclass(frozen=True)
class LegalBasis:
    """A citation as printed after "Na podstawie" (or in brackets), and its short form for lists.

    `key` names the basis in error messages and tests; `articles` are the references ("art. 11
    ust. 3 pkt 1"), followed in the citation by the act.
    """

    key: str
    articles: str
    act: Act

    @property
    def citation(self) -> str:
        """'art. 11 ust. 3 pkt 1 ustawy z dnia 9 czerwca 2011 r. … (Dz. U. z 2025 r. poz. 49)'."""
        return f"{self.articles} {self.act.cited}"

    @property
    def short(self) -> str:
        """'art. 11 ust. 3 pkt 1 u.w.r.p.z.'."""
        return f"{self.articles} {self.act.short}"


# The family-support act (ustawa o wspieraniu rodziny i systemie pieczy zastępczej). Article
# numbers as researched in ../shared/domain/law-and-practice.md (§1.1, §3); [U] there = unverified.
# Support with the family's consent and active participation (art. 8 ust. 1 [U no.]) and the
# assistant's tasks (art. 15 ust. 1).
WR_CONSENT = LegalBasis("wr_consent", "art. 8 ust. 1 i art. 15 ust. 1", FAMILY_SUPPORT_ACT)
# The social worker's request to the head after the interview and analysis (art. 11 ust. 1–2).
WR_REQUEST = LegalBasis("wr_request", "art. 11 ust. 1 i 2", FAMILY_SUPPORT_ACT)
# The head assigns an assistant (art. 11 ust. 3 pkt 1).
WR_ASSIGNMENT = LegalBasis("wr_assignment", "art. 11 ust. 3 pkt 1", FAMILY_SUPPORT_ACT)
# The work plan (pkt 1; pkt 2 with the foster-care coordinator) and its contents (ust. 3: scope
# of actions, deadlines, expected effects).
WR_PLAN = LegalBasis("wr_plan", "art. 15 ust. 1 pkt 1 i 2 oraz ust. 3", FAMILY_SUPPORT_ACT)
# The assistant's tasks in general (visit records, monthly reports), and the cooperation rules
# agreed with the family, which set how the assistant carries them out (the written rules are the
# offices' practice: MGOPS Łask, MOPS Oświęcim, MOPR Poznań; the document catalogue of law-and-practice.md).
WR_TASKS = LegalBasis("wr_tasks", "art. 15 ust. 1", FAMILY_SUPPORT_ACT)
# Keeping documentation of the work with the family (pkt 14).
WR_DOCUMENTATION = LegalBasis("wr_documentation", "art. 15 ust. 1 pkt 14", FAMILY_SUPPORT_ACT)
# „dokonywanie okresowej oceny sytuacji rodziny, nie rzadziej niż co pół roku” (pkt 15; the
# wording is [U] in the research, the number agrees with the catalogue of the statute's points).
WR_ASSESSMENT = LegalBasis("wr_assessment", "art. 15 ust. 1 pkt 15", FAMILY_SUPPORT_ACT)
# „monitorowanie funkcjonowania rodziny po zakończeniu pracy z rodziną” (pkt 16).
WR_MONITORING = LegalBasis("wr_monitoring", "art. 15 ust. 1 pkt 16", FAMILY_SUPPORT_ACT)
# The final report: documentation of the work (pkt 14) that ends it and opens the monitoring (pkt 16).
WR_FINAL_REPORT = LegalBasis("wr_final_report", "art. 15 ust. 1 pkt 14 i 16", FAMILY_SUPPORT_ACT)
# The family is supported with its consent and active participation (art. 8 ust. 1), so it may
# withdraw at any time (the consent's own wording, WR_CONSENT).
WR_RESIGNATION = LegalBasis("wr_resignation", "art. 8 ust. 1", FAMILY_SUPPORT_ACT)

# „Za życiem”: acting on the family's behalf on a written authorisation (art. 8 ust. 3 pkt 2).
ZZ_AUTHORISATION = LegalBasis("zz_authorisation", "art. 8 ust. 3 pkt 2", ZA_ZYCIEM_ACT)

# Every declared basis (tests check their keys are unique and their citations typeset).
ALL_BASES = (WR_CONSENT, WR_REQUEST, WR_ASSIGNMENT, WR_PLAN, WR_TASKS, WR_DOCUMENTATION, WR_ASSESSMENT,
             WR_MONITORING, WR_FINAL_REPORT, WR_RESIGNATION, ZZ_AUTHORISATION)
