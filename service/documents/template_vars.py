"""The variables every template gets besides the type's own fields and persons, declared once:
name, meaning (Polish, for whoever writes a template; English, for code) and a realistic sample.

context.build_context computes exactly these (it refuses at import to have a variable this module
does not declare, or to miss one), tests/documents/test_templates.py checks that every name a
template reads is a declared field, group field, person or one of these, and
context.sample_context builds a sample document's context from the samples here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TemplateVar:
    """A name every template may read."""

    name: str
    meaning: str  # Polish: what it prints
    meaning_en: str
    sample: Any
    # The type's fields and groups a type's own variable (DocumentType.extra_vars) prints, for the
    # check that every required field is printed (tests/documents/test_templates.py).
    prints: tuple[str, ...] = ()


# The attributes of `office` (the office profile, office.models.PROFILE_FIELDS, in that order).
OFFICE_ATTRS = (
    TemplateVar("name", "pełna nazwa ośrodka", "the office's full name",
                "Miejski Ośrodek Pomocy Społecznej w Oświęcimiu"),
    TemplateVar("street", "ulica i numer siedziby", "street and number", "ul. Wyspiańskiego 10"),
    TemplateVar("postal_code", "kod pocztowy siedziby", "postal code", "32-600"),
    TemplateVar("town", "miejscowość siedziby", "town", "Oświęcim"),
    TemplateVar("phone", "telefon sekretariatu", "the office's phone", "33 842 24 76"),
    TemplateVar("email", "e-mail sekretariatu", "the office's e-mail", "sekretariat@mops.oswiecim.pl"),
    TemplateVar("nip", "NIP ośrodka", "tax number", "549-10-34-225"),
    TemplateVar("regon", "REGON ośrodka", "statistical number", "072543210"),
    TemplateVar("head_name", "imię i nazwisko kierownika (dyrektora)", "the head's name", "Anna Nowak"),
    TemplateVar("head_title", "stanowisko kierownika pod podpisem", "the head's title under the signature",
                "Dyrektor Miejskiego Ośrodka Pomocy Społecznej w Oświęcimiu"),
    TemplateVar("date_town", "miejscowość w dacie pisma (pusta: miejscowość siedziby)",
                "the town of the date line (empty: the office's town)", "Oświęcim"),
    TemplateVar("iod_email", "e-mail inspektora ochrony danych", "the data protection officer's e-mail",
                "iod@mops.oswiecim.pl"),
    TemplateVar("department_code", "oznaczenie komórki w znaku sprawy", "the department code of case signs",
                "MOPS.SPS"),
    TemplateVar("case_sign_pattern", "wzór znaku sprawy", "the case-sign pattern", "{dept}.{symbol}.{number}.{year}"),
)

SAMPLE_ISSUE_DATE = dt.date(2026, 11, 24)

# Every template's own variables, besides the type's fields and persons (DocumentType.fields, .persons).
TEMPLATE_VARS = (
    TemplateVar("office", "profil ośrodka: office.name, office.street … (OFFICE_ATTRS)",
                "the office profile, read as office.<attribute> (OFFICE_ATTRS)",
                {a.name: a.sample for a in OFFICE_ATTRS}),
    TemplateVar("case_sign", "znak sprawy, w której dokument jest wydany", "the case sign",
                "MOPS.SPS.4011.12.2026"),
    TemplateVar("doc_ref", "identyfikator dokumentu w stopce (do weryfikacji)", "the document's reference in the footer",
                "Asysta 7f3a9c21"),
    TemplateVar("title", "tytuł dokumentu (DocumentType.title)", "the document's title", "Tytuł dokumentu"),
    TemplateVar("legal_basis", "pełne brzmienie podstawy prawnej (legal.py), do „Na podstawie …”",
                "the legal basis's full citation (legal.py)",
                "art. 11 ust. 3 pkt 1 ustawy z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy "
                "zastępczej (Dz. U. z 2025 r. poz. 49)"),
    TemplateVar("issue_date", "data wydania, np. „24 listopada 2026 r.”", "the date of issue, in Polish",
                "24 listopada 2026 r."),
    TemplateVar("place_date", "miejscowość i data w nagłówku pisma", "the place and date line of the letterhead",
                "Oświęcim, dnia 24 listopada 2026 r."),
    TemplateVar("place", "miejscowość w dacie pisma (office.date_town, a gdy pusta: office.town), do pisma "
                "datowanego inną datą niż dzień wydania", "the town of the date line, for a letter dated by "
                "one of its fields", "Oświęcim"),
    TemplateVar("raw", "wartości pól przed formatowaniem, do warunków (raw.basis == 'court')",
                "the validated values, unformatted, for conditions", {}),
)
TEMPLATE_VAR_NAMES = frozenset(v.name for v in TEMPLATE_VARS)
SAMPLE_OFFICE: dict[str, str] = {a.name: a.sample for a in OFFICE_ATTRS}
