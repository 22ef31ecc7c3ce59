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
        # art. 15 ust. 1 pkt 15: the assistant assesses the family's situation at least every six
        # months and passes the assessment to the entity of art. 17 ust. 1 (the employer).
        LegalBasis(
            "wr_assessment",
            f"art. 15 ust. 1 pkt 15 {FAMILY_SUPPORT_ACT}",
            "art. 15 ust. 1 pkt 15 u.w.r.p.z.",
        ),
        # pkt 14: keeping the documentation of the work with the family; pkt 16: monitoring the
        # family's functioning after the work ends (the report opens the monitoring).
        LegalBasis(
            "wr_final_report",
            f"art. 15 ust. 1 pkt 14 i 16 {FAMILY_SUPPORT_ACT}",
            "art. 15 ust. 1 pkt 14 i 16 u.w.r.p.z.",
        ),
        LegalBasis(
            "wr_monitoring",
            f"art. 15 ust. 1 pkt 16 {FAMILY_SUPPORT_ACT}",
            "art. 15 ust. 1 pkt 16 u.w.r.p.z.",
        ),
        # art. 8 ust. 1: the family is supported with its consent and active participation, so it
        # may withdraw at any time (the consent's own wording, wr_consent).
        LegalBasis(
            "wr_resignation",
            f"art. 8 ust. 1 {FAMILY_SUPPORT_ACT}",
            "art. 8 ust. 1 u.w.r.p.z.",
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
