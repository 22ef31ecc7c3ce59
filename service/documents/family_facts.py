"""What a family's file knows, as plain values, and the forms pre-filled from it.

The documents package must not depend on the families package (dependencies point down:
families → documents), so the families package describes a family in these frozen, DB-free
dataclasses (`FamilyFacts`, `PersonFacts`, `StaffFacts`) and each document type declares, in
`DocumentType.from_family`, which of its input values follow from them. `prefill(doctype, facts)`
returns those values in the API's JSON shape (that of `DocumentType.sample_data`: groups as lists
of dicts, choices as keys, dates as ISO strings, booleans as bools), without empty values; the
staff member or the API client supplies the rest and may change any of them for one document.

The helpers below (`adults`, `residence`, `letter_address`, `sex_choice`, `addressee`) are what
the catalog modules' declarations are written with, so that every document reads the file alike.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .grammar import HONORIFIC, gender_of

if TYPE_CHECKING:
    from .spec import DocumentType

RELATIONS = ("mother", "father", "guardian", "child", "partner", "grandparent", "sibling", "pregnant", "other")
# Those who act for the family (a parent, a legal guardian, the pregnant woman of „Za życiem”):
# they come first where a document has room for a few persons only.
PARENTS = ("mother", "father", "guardian", "pregnant")
SUPPORTS = ("family_support", "za_zyciem")
BASIS_KINDS = ("request", "court", "referral", "zz_application", "unknown")


@dataclass(frozen=True)
class PersonFacts:
    """One current member of the family as the file knows them.

    `relation` is a key of RELATIONS, `relation_label` its Polish label („matka”, „opiekun
    prawny”); `sex` is "woman", "man" or "" (unknown); `adult`: 18 or older on the day of issue,
    computed by the families package from the PESEL or the date of birth.
    """

    full_name: str
    relation: str
    relation_label: str
    pesel: str = ""
    birth_date: dt.date | None = None
    sex: str = ""
    phone: str = ""
    email: str = ""
    adult: bool = True


@dataclass(frozen=True)
class StaffFacts:
    """A staff member named in a document (the assistant, the social worker in charge)."""

    full_name: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class PlanFacts:
    """The family's current work plan (plan pracy z rodziną, art. 15 ust. 3): the newest
    `work_plan` document of its case, as stored (families.plans.current_plan).

    `goals` are (goal_no, goal) pairs with goal_no as a string of digits ("1"); `actions` the
    plan's action rows as stored ({"goal_no", "scope", "deadline" (ISO date), "expected_effect",
    "responsible"}, goal_no a string); `plan_date` and `review_date` ISO dates.
    """

    document_id: str
    plan_date: str
    goals: tuple[tuple[str, str], ...] = ()
    doc_ref: str = ""  # as printed in the footer: "Asysta 1a2b3c4d"
    review_date: str = ""
    actions: tuple[Mapping[str, str], ...] = ()
    diagnosis: str = ""
    resources: str = ""
    child_plan: str = ""


@dataclass(frozen=True)
class DocumentFacts:
    """A document already filed in the family's case: its id, type slug, stored data (the
    DocumentRecord.data JSON: ISO dates, choice keys) and the Warsaw date it was issued on."""

    id: str
    slug: str
    data: Mapping[str, Any]
    issued_on: dt.date


@dataclass(frozen=True)
class FamilyFacts:
    """A family's file on the day of issue: members, addresses, staff and the basis of support.

    The correspondence address (`corr_*`) is empty when letters go to the residence. `basis_kind`
    is one of BASIS_KINDS; `basis` holds its details as text, dates as ISO strings: request_date
    (request); court_name, court_division, court_case_number, court_decision_date (court);
    institution_name, letter_date, letter_number (referral); application_date and situation
    ("pregnancy", "diagnosis" or "loss") (zz_application). `consent_date` is the date of the
    family's written consent to the assistant (art. 8 ust. 1 of the family-support act): the
    `consent_date` of the latest signed `family_consent` in the family's case, None without one.
    `visit_interval_days` is the office's setting of the longest interval between the assistant's
    visits, in days (families.settings.deadline_rules: visit_interval_days), None when not given.
    `plan` is the current work plan (its goals are what visit records and assessments are ticked
    against).
    """

    case_sign: str
    support: str  # one of SUPPORTS
    members: tuple[PersonFacts, ...]
    street: str
    postal_code: str
    town: str
    corr_street: str = ""
    corr_postal_code: str = ""
    corr_town: str = ""
    assistant: StaffFacts | None = None  # the current assignment's assistant
    assignment_start: dt.date | None = None
    social_worker: StaffFacts | None = None
    basis_kind: str = "unknown"
    basis: Mapping[str, str] = field(default_factory=dict)
    plan: PlanFacts | None = None  # the current work plan; None before the first one
    consent_date: dt.date | None = None
    visit_interval_days: int | None = None
    # The documents of the family's case, newest first (the assessments, a resignation...).
    documents: tuple[DocumentFacts, ...] = ()
    # The office's monitoring after the work ends, in months (families.settings.deadline_rules;
    # art. 15 ust. 1 pkt 16 of the family-support act sets no length, the default is Łask's 2).
    monitoring_months: int = 2
    today: dt.date | None = None  # the day of issue (Warsaw); None: documents.context.office_today()


# ---------------------------------------------------------------------------- reading the file

def adults(facts: FamilyFacts) -> list[PersonFacts]:
    """The adult members, those who act for the family (PARENTS) first, each part in file order."""
    grown = [m for m in facts.members if m.adult and m.full_name.strip()]
    return [m for m in grown if m.relation in PARENTS] + [m for m in grown if m.relation not in PARENTS]


def latest(facts: FamilyFacts, slug: str, since: dt.date | None = None) -> DocumentFacts | None:
    """The newest document of this type in the family's case (issued on or after `since`), or None."""
    return next((d for d in facts.documents if d.slug == slug and (since is None or d.issued_on >= since)), None)


def residence(facts: FamilyFacts) -> dict[str, str]:
    """The address of residence as the fields of documents.fields.address()."""
    return {"street": facts.street, "postal_code": facts.postal_code, "town": facts.town}


def letter_address(facts: FamilyFacts) -> dict[str, str]:
    """Where letters go: the correspondence address when the file has one, else the residence.

    The two are never mixed: a correspondence address with a part missing gives that part empty
    (the form then asks for it) rather than the residence's postal code under another street.
    """
    if any((facts.corr_street, facts.corr_postal_code, facts.corr_town)):
        return {"street": facts.corr_street, "postal_code": facts.corr_postal_code, "town": facts.corr_town}
    return residence(facts)


_SEX_CHOICE = {"woman": "f", "man": "m"}


def sex_choice(person: PersonFacts) -> str:
    """The person's sex as a key of grammar.SEX_CHOICES ("f", "m"), or "" when the file does not say."""
    return _SEX_CHOICE.get(person.sex, "")


def staff_name(staff: StaffFacts | None) -> str:
    """The staff member's full name, or "" when the file names nobody (no assistant assigned yet)."""
    return staff.full_name if staff else ""


def iso(day: dt.date | None) -> str:
    """A date as the API writes it (RRRR-MM-DD), or "" for none."""
    return day.isoformat() if day else ""


def day_of(facts: FamilyFacts) -> dt.date:
    """The day of issue: `facts.today`, or the office's today (Warsaw) when the facts leave it None."""
    if facts.today is not None:
        return facts.today
    from .context import office_today  # context imports the declarations that import this module
    return office_today()


def _others(count: int) -> str:
    """„1 inna osoba”, „3 inne osoby”, „5 innych osób” (the numeral's agreement)."""
    if count == 1:
        return "1 inna osoba"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return f"{count} inne osoby"
    return f"{count} innych osób"


def names_within(names: Iterable[str], limit: int, last: str = " i ") -> str:
    """Full names as one text of at most `limit` characters (the field the text fills): all of them
    („Anna Kowalska, Jan Kowalski i Ewa Kowalska”, `last` before the last name), or as many as fit
    and how many more („Anna Kowalska, Jan Kowalski i 10 innych osób”): a family of twelve adults
    made a value its form then refused as too long. "" for none."""
    names = [" ".join(n.split()) for n in names if n and n.strip()]
    if not names:
        return ""
    text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + last + names[-1]
    for shown in range(len(names) - 1, 0, -1):
        if len(text) <= limit:
            break
        text = ", ".join(names[:shown]) + " i " + _others(len(names) - shown)
    return text if len(text) <= limit else text[:limit]


def addressee(people: Iterable[PersonFacts]) -> str:
    """The addressee line of a letter to these persons, in the nominative, without slash forms.

    One or two persons whose gender is known (from the PESEL, the file's sex, or a first name the
    dictionary is sure of: grammar.gender_of) each get their honorific: „Pani Anna Kowalska”,
    „Pani Anna Kowalska i Pan Jan Kowalski”. Three or more, or anyone of unknown gender, are named
    without honorifics („Anna Kowalska, Jan Kowalski i Ewa Kowalska”): a lone „Pani” or „Pan”
    beside a bare name would be inconsistent, and „Państwo” needs the surname in the plural
    („Państwo Kowalscy”), which cannot be formed safely for every surname. "" for nobody.
    """
    people = [p for p in people if p.full_name.strip()]
    names = [" ".join(p.full_name.split()) for p in people]
    genders = [gender_of(p.full_name, p.pesel or None, sex_choice(p) or None) for p in people]
    if len(people) <= 2 and all(genders):
        names = [f"{HONORIFIC[g]['nom']} {name}" for g, name in zip(genders, names)]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " i " + names[-1]


def left_out(doctype: DocumentType, facts: FamilyFacts, prefilled: Mapping[str, Any]) -> list[str]:
    """The adult members a prefilled group of persons has no row for (the consent holds at most 4:
    the fifth and sixth adult of a family), as their full names; [] for a type without such a
    group (an authorisation names one principal by design) or when everyone fits."""
    named: set[str] | None = None
    for ref in doctype.persons:
        if ref.group is not None and ref.group in prefilled:
            named = (named or set()) | {row.get(ref.name, "") for row in prefilled[ref.group]}
    if named is None:
        return []
    return [m.full_name for m in adults(facts) if m.full_name not in named]


# ---------------------------------------------------------------------------- pre-filling

ADDRESS_FIELDS = ("street", "postal_code", "town")  # documents.fields.address()


def bundles(doctype: DocumentType) -> list[frozenset[str]]:
    """The top-level fields of `doctype` that describe one thing together: the address, and each
    person outside a group (PersonRef: name, sex, PESEL, and the fields sharing the name's prefix,
    e.g. principal_name → principal_pesel, principal_sex, principal_phone)."""
    names = {spec.name for spec in doctype.fields}
    found = [frozenset(names & set(ADDRESS_FIELDS))]
    for ref in doctype.persons:
        if ref.group is None:
            prefix = ref.name.removesuffix("name")
            found.append(frozenset({n for n in names if n.startswith(prefix)}
                                   | {n for n in (ref.name, ref.sex, ref.pesel) if n}))
    return [b for b in found if b]


def merge(doctype: DocumentType, prefilled: Mapping[str, Any], sent: Mapping[str, Any]) -> dict[str, Any]:
    """The values a document is issued with: those `sent` win, the `prefilled` ones fill the rest,
    except the prefilled partners of a person or an address whose prefilled value the sender changed.

    Sending only another principal_name must not issue the new person with the PESEL, sex and phone
    the file holds for someone else (nor a new street with the file's postal code): those partners
    are left out, so the form asks for them („To pole jest wymagane.”) unless they are sent too.
    A value the file did not have (a PESEL it lacks) or sent unchanged changes no one: the file's
    partners stay. A group (the consent's persons) is sent whole and replaces the file's rows whole.
    """
    dropped: set[str] = set()
    for bundle in bundles(doctype):
        if any(k in prefilled and sent[k] != prefilled[k] for k in bundle & sent.keys()):
            dropped |= bundle - sent.keys()
    return {**{k: v for k, v in prefilled.items() if k not in dropped}, **sent}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def prefill(doctype: DocumentType, facts: FamilyFacts) -> dict[str, Any]:
    """The input values of `doctype` that the family's file knows, in the API's JSON shape.

    Calls the type's `from_family` declaration ({} when it has none) and drops empty values (None,
    "", [], and empty group rows). Raises ValueError when the declaration returns a name the type
    does not declare (a defect of the declaration, found by tests/documents/test_family_prefill.py).
    """
    if doctype.from_family is None:
        return {}
    out: dict[str, Any] = {}
    for name, value in doctype.from_family(facts).items():
        try:
            spec = doctype.field(name)
        except KeyError:
            raise ValueError(f"{doctype.slug}.from_family returns an undeclared field {name!r}") from None
        if isinstance(value, list) and value and all(isinstance(row, dict) for row in value):
            subs = {f.name for f in getattr(spec, "fields", ())}
            rows = []
            for row in value:
                unknown = set(row) - subs
                if unknown:
                    raise ValueError(f"{doctype.slug}.from_family returns undeclared fields {sorted(unknown)} "
                                     f"in {name!r}")
                row = {k: v for k, v in row.items() if not _empty(v)}
                if row:
                    rows.append(row)
            value = rows
        if not _empty(value):
            out[name] = value
    return out
