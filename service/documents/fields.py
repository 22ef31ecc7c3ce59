"""Reusable field factories, so the same thing is asked for the same way in every document."""
from __future__ import annotations

from typing import Any

from .grammar import SEX_CHOICES
from .spec import FieldSpec


def full_name(name: str = "full_name", label: str = "Imię i nazwisko", sample: Any = "Anna Kowalska",
              required: bool = True, help: str = "") -> FieldSpec:
    """A person's first name and surname."""
    return FieldSpec(name, label, "text", required=required, sample=sample, max_length=120, help=help)


def pesel(name: str = "pesel", label: str = "PESEL", sample: Any = "88031504580",
          required: bool = True, adult: bool = False) -> FieldSpec:
    """A PESEL number, checked with python-stdnum (checksum, date of birth not in the future).

    adult=True: the person acts for themselves in this document, so must be 18 or older.
    """
    return FieldSpec(name, label, "pesel", required=required, sample=sample, max_length=11, adult=adult,
                     help="11 cyfr" if required else "11 cyfr; można pominąć")


def address(sample_street: str = "ul. Słowackiego 12 m. 4", sample_postal: str = "32-600",
            sample_town: str = "Oświęcim") -> tuple[FieldSpec, ...]:
    """Street with number, postal code and town."""
    return (
        FieldSpec("street", "Ulica, numer domu i mieszkania", sample=sample_street, max_length=120),
        FieldSpec("postal_code", "Kod pocztowy", "postal_code", sample=sample_postal,
                  help="w formacie 00-000", max_length=6),
        FieldSpec("town", "Miejscowość", sample=sample_town, max_length=80),
    )


def sex(name: str = "sex", label: str = "Płeć", sample: Any = None) -> FieldSpec:
    """The grammatical gender of a person, for the documents' wording („podpisana” or „podpisany”).

    Optional: the form requires it only when neither the PESEL nor the first name tells
    (grammar.sex_problem says so at this field); declare it in the type's PersonRef.
    """
    return FieldSpec(name, label, "choice", required=False, choices=SEX_CHOICES, sample=sample,
                     help="wymagana tylko wtedy, gdy nie wynika z numeru PESEL ani z imienia")


def date(name: str, label: str, sample: str, required: bool = True, help: str = "",
         not_future: bool = False, required_if: tuple[str, Any] | None = None) -> FieldSpec:
    """A calendar date (entered as RRRR-MM-DD or DD.MM.RRRR)."""
    return FieldSpec(name, label, "date", required=required, sample=sample, help=help,
                     not_future=not_future, required_if=required_if)


def phone(name: str, label: str = "Telefon", sample: str = "33 842 11 00", required: bool = True) -> FieldSpec:
    """A Polish or international phone number."""
    return FieldSpec(name, label, "phone", required=required, sample=sample, max_length=20)


def email(name: str, label: str = "Adres e-mail", sample: str = "asystent@mops.oswiecim.pl",
          required: bool = True) -> FieldSpec:
    """An e-mail address."""
    return FieldSpec(name, label, "email", required=required, sample=sample, max_length=120)


def dates_in_order(earlier: str, later: str, message: str):
    """A check that refuses `later` before `earlier` when both are given."""

    def check(data) -> dict[str, str]:
        a, b = data.get(earlier), data.get(later)
        if a and b and str(b) < str(a):  # ISO dates compare as text
            return {later: message}
        return {}

    return check
