"""The legal-basis registry: every statutory citation used in documents, kept in one place."""
from __future__ import annotations

from dataclasses import dataclass

# Consolidated texts change every year or two: update the "Dz. U." references here, never in
# templates. Checked against the texts in force on 24 November 2026.
FAMILY_SUPPORT_ACT = (
    "ustawy z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy zastępczej "
    "(Dz. U. z 2025 r. poz. 49)"
)
ZA_ZYCIEM_ACT = (
    "ustawy z dnia 4 listopada 2016 r. o wsparciu kobiet w ciąży i rodzin „Za życiem” "
    "(Dz. U. z 2024 r. poz. 1829)"
)
GDPR = (
    "rozporządzenia Parlamentu Europejskiego i Rady (UE) 2016/679 z dnia 27 kwietnia 2016 r. "
    "w sprawie ochrony osób fizycznych w związku z przetwarzaniem danych osobowych i w sprawie "
    "swobodnego przepływu takich danych oraz uchylenia dyrektywy 95/46/WE (RODO)"
)


@dataclass(frozen=True)
class LegalBasis:
    """A citation as printed after "Na podstawie" (or in brackets), and its short form for lists."""

    key: str
    citation: str
    short: str


LEGAL_BASES: dict[str, LegalBasis] = {
    b.key: b
    for b in (
        LegalBasis(
            "wr_consent",
            f"art. 8 ust. 1 i art. 15 ust. 1 {FAMILY_SUPPORT_ACT}",
            "art. 8 ust. 1 i art. 15 ust. 1 u.w.r.p.z.",
        ),
        LegalBasis(
            "wr_assignment",
            f"art. 11 ust. 3 pkt 1 {FAMILY_SUPPORT_ACT}",
            "art. 11 ust. 3 pkt 1 u.w.r.p.z.",
        ),
        LegalBasis(
            # the plan and its required content: scope of actions, their deadlines, expected effects
            "wr_work_plan",
            f"art. 15 ust. 1 pkt 1 i ust. 3 {FAMILY_SUPPORT_ACT}",
            "art. 15 ust. 1 pkt 1 i ust. 3 u.w.r.p.z.",
        ),
        LegalBasis(
            "zz_authorisation",
            f"art. 8 ust. 3 pkt 2 {ZA_ZYCIEM_ACT}",
            "art. 8 ust. 3 pkt 2 ustawy „Za życiem”",
        ),
    )
}


def legal_basis(key: str) -> LegalBasis:
    """The citation registered under `key`."""
    return LEGAL_BASES[key]
