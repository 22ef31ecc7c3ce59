"""The declaration of a document type: fields, groups, signer slots, legal basis and filing data."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..roles import Role
from .filing import FilingClass
from .legal import LegalBasis
from .template_vars import TemplateVar

if TYPE_CHECKING:  # family_facts imports this module; the annotation only names the class
    from .family_facts import FamilyFacts
    from .kinds import FieldKind

TEMPLATES_ROOT = Path(__file__).resolve().parents[2] / "forms_templates"
# How the label of a head's signer slot starts („Kierownik ośrodka (zatwierdzenie)”): the role's
# name, which the evidence page replaces by the office's title of its head (signing.plan.titled_role)
HEAD_ROLE_NAME = Role.HEAD.label[:1].upper() + Role.HEAD.label[1:]


@dataclass(frozen=True)
class FieldSpec:
    """One input of a document: what it is called, what it accepts, and a realistic sample.

    `kind` names a kind of service/documents/kinds/ ("text", "date", "pesel", "time", …; a
    FieldKind object is accepted too): `kind` stays that name, `field_kind` is the object, which
    knows the field's JSON Schema, stored, printed and shown values. An unknown name raises
    ValueError when the declaration is made, i.e. when its module is imported.
    """

    name: str
    label: str
    kind: str = "text"
    required: bool = True
    help: str = ""
    sample: Any = None
    max_length: int | None = None
    choices: tuple[tuple[str, str], ...] = ()
    # Required only when another field has this value, e.g. ("basis", "court").
    required_if: tuple[str, Any] | None = None
    # With required_if: the page shows the field only while that value is chosen (static/forms.js,
    # data-conditional), e.g. the free text of a choice „inne”; without scripts it always shows,
    # and the server ignores it while it does not apply (forms_builder.DocumentForm.cleaned_data).
    conditional: bool = False
    # Dates: refuse a date after today (a consent cannot be given tomorrow).
    not_future: bool = False
    # PESEL fields: the person acts for themselves here (consents, grants an authorisation), so
    # they must be of age (18) on the day of issue; for a minor, the legal guardian signs instead.
    adult: bool = False
    # Integers: the smallest and the largest accepted value (None: no limit of the declaration).
    min_value: int | None = None
    max_value: int | None = None
    # Choices that depend on the family (a visit's goals: those of the family's current work plan):
    # called with the family's family_facts.FamilyFacts, or None for a document without a family,
    # at form time (forms_builder.fit_to_family); returns (key, label) pairs, () when there are none
    # (the form then hides the field). `choices` stays () for such a field.
    choices_from: Callable[[FamilyFacts | None], tuple[tuple[str, str], ...]] | None = None
    # Set by the issuing service, never typed or sent: not on the form, and a JSON body naming it is
    # refused at the field. The value comes from DocumentType.stamp (from the family's file and the
    # issuer: the login of the assistant who recorded a visit, the plan a revision replaces) or, for
    # the monthly reports, from the archive (families.monthly_issue: the ids of the visit records a
    # report was built from). Declared here so that templates and pages know it. Never required;
    # its stored value may be any JSON value (a list of ids): the kind names what one item is. A
    # sample, when given, is what the service would add to a sample render (service_sample).
    by_service: bool = False
    # A numbered group of the same type (GroupSpec.number_field) whose row this field names by its
    # number (an action's goal: "goals"), for a "choice" field whose `choices` are the numbers
    # accepted (DocumentType checks both when the declaration is made). The page
    # offers the group's rows as they stand instead, each by its label, number and text („Cel 2:
    # Regularne uczęszczanie syna do szkoły.”: forms_builder.offer_rows, static/forms.js), and a
    # row taken out takes its number with it: the choices of the rows after it follow them
    # (forms_builder.without_row). Whether the number names a row the body has is the type's check.
    refers_to: str | None = None
    field_kind: FieldKind = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Imported here: the kinds print through context.py, which imports this module.
        from .kinds import FieldKind, kind_named

        if isinstance(self.kind, FieldKind):
            resolved = self.kind
            object.__setattr__(self, "kind", resolved.name)
        else:
            try:
                resolved = kind_named(self.kind)
            except ValueError as error:
                raise ValueError(f"{self.name}: {error}") from None
        object.__setattr__(self, "field_kind", resolved)
        resolved.check_spec(self)
        if self.conditional and not self.required_if:
            raise ValueError(f"{self.name}: a conditional field needs required_if (the choice it belongs to)")
        if self.by_service and self.required:
            raise ValueError(f"{self.name}: a field the service sets (by_service) is never required of a person")

    @property
    def length_limit(self) -> int:
        """The longest accepted value; long enough for real content, short enough for a page."""
        return self.max_length or self.field_kind.default_length

    def choice_label(self, key: str) -> str:
        """The Polish label of one choice key."""
        return dict(self.choices).get(key, key)


@dataclass(frozen=True)
class GroupSpec:
    """A repeating group of fields, e.g. the family members who consent."""

    name: str
    label: str
    fields: tuple[FieldSpec, ...]
    min_entries: int = 1
    max_entries: int = 4
    help: str = ""
    row_label: str = "Pozycja"
    # The form shows the rows filled (at least min_entries) with „Dodaj” and „Usuń” buttons
    # (static/forms.js; without scripts the buttons post the form and the server adds or removes
    # the row), instead of all max_entries rows at once: for long lists, e.g. a plan's actions.
    growing: bool = False
    add_label: str = "Dodaj pozycję"  # the „Dodaj” button of a growing group
    # A numbered group (a plan's goals): each row's number, in `number_field`, is its place in the
    # group, shown as the row's legend („Cel 2”); the page has no input for it, and a row given
    # without it gets its place (forms_builder.DocumentForm.cleaned_data; a row left empty between
    # filled ones is taken out first, so the numbers run 1, 2, 3…). A JSON body may still give the
    # numbers itself, as before the rule (then they are as given). `title_field` is the text that
    # names the row where another field refers to it (FieldSpec.refers_to).
    number_field: str | None = None
    title_field: str | None = None

    def __post_init__(self) -> None:
        names = {f.name for f in self.fields}
        for attr in ("number_field", "title_field"):
            name = getattr(self, attr)
            if name is not None and name not in names:
                raise ValueError(f"{self.name}: {attr} {name!r} is not a field of the group")
        if (self.number_field is None) != (self.title_field is None):
            raise ValueError(f"{self.name}: a numbered group names both its number_field and its title_field")

    @property
    def sample(self) -> list[dict[str, Any]]:
        """Sample rows, taken from the fields' samples (a list sample gives several rows)."""
        rows = max((len(f.sample) for f in self.fields if isinstance(f.sample, list)), default=1)
        out = []
        for i in range(rows):
            row = {}
            for f in self.fields:
                value = f.sample[i] if isinstance(f.sample, list) else f.sample
                if value not in (None, ""):
                    row[f.name] = value
            out.append(row)
        return out


@dataclass(frozen=True)
class SignerSlot:
    """A place where someone signs: a family member on the tablet, or a staff member."""

    key: str
    label: str
    signer: str = "family"  # "family" or "staff"
    staff_role: Role | None = None  # for staff slots: the role that signs, e.g. Role.HEAD
    repeat_over: str | None = None  # one slot per row of this group
    # Only when this field is true ("health_data_consent"), or has this value ("author_role=assistant").
    only_if: str | None = None

    def applies(self, data: Mapping[str, Any]) -> bool:
        """Whether this slot is signed for a document with these data (only_if)."""
        if not self.only_if:
            return True
        name, equals, wanted = self.only_if.partition("=")
        value = data.get(name)
        return str(value) == wanted if equals else bool(value)
    # Family slots: the field holding the signer's name (in the repeated row, if repeat_over)
    # and, optionally, the field with their role in the family (e.g. "matka").
    name_field: str | None = None
    role_field: str | None = None

    def __post_init__(self) -> None:
        if self.staff_role is not None and not isinstance(self.staff_role, Role):
            raise TypeError(f"{self.key}: staff_role must be a roles.Role, not {self.staff_role!r}")
        if (self.signer == "staff") != (self.staff_role is not None):
            raise ValueError(f"{self.key}: a staff slot names its staff_role, a family slot none")
        if self.staff_role is Role.HEAD and not self.label.startswith(HEAD_ROLE_NAME):
            raise ValueError(f"{self.key}: the head's slot is labelled „{HEAD_ROLE_NAME} …”, the part the "
                             "evidence page names by the office's title of its head")


# A cross-field rule: takes the cleaned data (groups hold their filled rows only) and returns
# {field: Polish message}; a field is a top-level name, a group's name, or a row's field as
# "actions[2].goal_no" (2 counts the filled rows).
Check = Callable[[Mapping[str, Any]], dict[str, str]]

# The variants every document type is rendered in by tests/documents/test_grammar.py.
PERSON_VARIANTS = ("woman", "man", "unknown", "several", "women", "men")
# What a family's file may have to hold before a type is issued for the family
# (DocumentType.needs; checked by families.lifecycle, which says in Polish what is missing):
# a current assistant's assignment, a current work plan (art. 15 ust. 1 pkt 15 of the
# family-support act: the assessment assesses the plan), the monitoring after the work ended
# (art. 15 ust. 1 pkt 16: notes are written only then), the assistant's work not ended (the
# working cycle's documents: none after the final report, while the family is monitored), a month
# of the work still without its monthly report (the only report due after the work ended).
NEEDS = ("assignment", "work_plan", "monitoring", "work_open", "report_month")


@dataclass(frozen=True)
class PersonRef:
    """A person (or a group of persons) a document speaks about, so that its words agree.

    The template receives, under `key`, a grammar.Person (or grammar.Persons for a group, and
    each group row gets its own under "person"); the filters `named`, `agree` and
    `agree_number` read it. The gender comes from `pesel`, the `sex` field (a fields.sex()
    choice the form requires when nothing else tells), or the first name.

    `expect` maps a variant (PERSON_VARIANTS: one woman, one man, one person whose name the
    dictionary does not know, several persons, several women, several men) to phrases the rendered document
    must contain. "unknown" is the name, not the gender: its person is a woman told by her „Płeć”
    (tests/documents/test_grammar.py, UNKNOWN), so its phrases are a woman's; a person whose gender
    nothing tells never reaches a template (the form asks for „Płeć”: grammar.sex_problem, and
    `agree` raises). "{name}" is the variant's name, "{name.acc}" (gen, dat, inst, loc) the name in
    a case as written by hand in the test. The test renders every declared variant, so a new
    document type gets it by declaring its persons.
    """

    key: str  # name in the template context
    name: str  # the field with the full name (in the group's rows when group is set)
    sex: str | None = None  # the „Płeć” choice field (none where a PESEL is required)
    pesel: str | None = None
    group: str | None = None  # the GroupSpec whose rows are the persons
    expect: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Issuer:
    """Who issues a document, as DocumentType.stamp sees it: the staff member's login, role and
    full name (as their account has it; "" when the account names nobody)."""

    login: str
    role: Role
    full_name: str = ""


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: each type is one object
class DocumentType:
    """Everything the service knows about one kind of document; all else is derived from it."""

    slug: str
    title: str
    description: str
    legal_basis: LegalBasis  # a constant of legal.py, e.g. legal.WR_CONSENT
    filing_class: FilingClass  # the office's filing class (JRWA) it is filed under, e.g. filing.FAMILY_SUPPORT
    fields: tuple[FieldSpec | GroupSpec, ...]
    signers: tuple[SignerSlot, ...]
    issued_by: frozenset[Role]  # staff roles that may issue it
    # What this document is and what signing it means, in two or three plain sentences for the
    # family on the signing page, in Polish and marked with service.i18n.N_: its Ukrainian and
    # English translations must be in service/translations (tests/signing/test_language.py checks
    # every type). Required, so that no later type reaches the tablet without one.
    signing_summary: str
    template_version: str = "v1"
    case_title: Callable[[Mapping[str, Any]], str] = field(default=lambda data: "")
    checks: tuple[Check, ...] = ()
    persons: tuple[PersonRef, ...] = ()  # whom the wording agrees with (grammar.py)
    # The input values the family's file knows (members, address, staff, court data), in the
    # shape of sample_data, from family_facts.FamilyFacts; read through family_facts.prefill.
    from_family: Callable[[FamilyFacts], dict[str, Any]] | None = None
    # More template variables made from the data and the display-ready context built so far
    # (context.build_context calls it last): e.g. a plan's actions nested under their goals.
    # Returns exactly the names declared in extra_vars: {name: value}; the values must be
    # display-ready (texts passed through context.printed), and may not replace a variable the
    # context already has.
    context_extra: Callable[[Mapping[str, Any], Mapping[str, Any]], dict[str, Any]] | None = None
    # The names context_extra adds, each with its meaning and a sample (template_vars.TemplateVar):
    # a template may read them (tests/documents/test_templates.py), build_context refuses others.
    extra_vars: tuple[TemplateVar, ...] = ()
    # A new document of this type replaces the family's current one (the newest of the type in
    # its case; the type's stamp names the one replaced): the family's file marks the newest as
    # current and each older one as replaced (families.plans.revisions).
    revises: bool = False
    # The date field that dates the document: orders the revisions (families.plans) and dates the
    # replaced one in the family's file.
    date_field: str | None = None
    # The values of the fields declared by_service, added by issuing.issue to the validated data:
    # called with (data, the family's FamilyFacts or None, the Issuer: who issues it) and returns
    # {field: value} for by_service fields only.
    stamp: Callable[[Mapping[str, Any], FamilyFacts | None, Issuer], dict[str, Any]] | None = None
    # What the family's file must hold before this type is issued for the family: keys of NEEDS,
    # in the order they are checked (families.lifecycle refuses with the first one missing).
    # Documents issued without a family (a new case made from the document) need nothing.
    needs: tuple[str, ...] = ()
    # What only an API client needs besides `description` (how the API fills the fields itself),
    # in Polish; the pages show `description` alone, to staff who never see the API's JSON.
    api_note: str = ""

    @property
    def api_description(self) -> str:
        """The description the API gives: `description`, then `api_note` when there is one."""
        return f"{self.description} {self.api_note}" if self.api_note else self.description

    def __post_init__(self) -> None:
        # Declarations name these as objects: a string (a typo or an old key) fails at import.
        if not isinstance(self.legal_basis, LegalBasis):
            raise TypeError(f"{self.slug}: legal_basis must be a legal.LegalBasis, not {self.legal_basis!r}")
        if not isinstance(self.filing_class, FilingClass):
            raise TypeError(f"{self.slug}: filing_class must be a filing.FilingClass, not {self.filing_class!r}")
        if not self.issued_by or not all(isinstance(role, Role) for role in self.issued_by):
            raise TypeError(f"{self.slug}: issued_by must be a non-empty set of roles.Role, not {self.issued_by!r}")
        unknown = [n for n in self.needs if n not in NEEDS]
        if unknown:
            raise ValueError(f"{self.slug}: unknown needs {unknown}; known: {NEEDS}")
        numbered = {f.name for f in self.fields if isinstance(f, GroupSpec) and f.number_field}
        for spec in self.all_field_specs:
            if spec.refers_to is not None and (spec.refers_to not in numbered or spec.kind != "choice"):
                raise ValueError(f"{self.slug}: {spec.name} refers to {spec.refers_to!r}, which is no numbered "
                                 "group of the type, or is no choice")

    @property
    def jrwa_key(self) -> str:
        """The key of the filing class (cases.jrwa_key, the API's `jrwa_key`)."""
        return self.filing_class.key

    @property
    def template_path(self) -> Path:
        """The immutable DOCX template of the current version."""
        return TEMPLATES_ROOT / self.slug / f"{self.template_version}.docx"

    @property
    def input_fields(self) -> tuple[FieldSpec | GroupSpec, ...]:
        """The fields a form or a JSON body gives: the same as form_fields."""
        return self.form_fields

    @property
    def all_field_specs(self) -> tuple[FieldSpec, ...]:
        """Every FieldSpec of the type, the groups' row fields included, in the declaration's order."""
        out: list[FieldSpec] = []
        for f in self.fields:
            out.extend(f.fields if isinstance(f, GroupSpec) else (f,))
        return tuple(out)

    def references(self, group: str) -> tuple[tuple[str | None, str], ...]:
        """The fields that name a row of the numbered group `group` (FieldSpec.refers_to), each as
        (its group's name, or None for a field of the form itself; its name)."""
        out: list[tuple[str | None, str]] = []
        for f in self.fields:
            for spec in (f.fields if isinstance(f, GroupSpec) else (f,)):
                if spec.refers_to == group:
                    out.append((f.name if isinstance(f, GroupSpec) else None, spec.name))
        return tuple(out)

    @property
    def service_fields(self) -> tuple[FieldSpec, ...]:
        """The fields the service sets (FieldSpec.by_service), in the declaration's order."""
        return tuple(f for f in self.fields if getattr(f, "by_service", False))

    def field(self, name: str) -> FieldSpec | GroupSpec:
        """The field or group with this name."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def sample_data(self) -> dict[str, Any]:
        """Sample values for every field: posting them must succeed."""
        data: dict[str, Any] = {}
        for f in self.fields:
            if getattr(f, "by_service", False):
                continue  # never posted: the service sets it (service_sample)
            if isinstance(f, GroupSpec):
                data[f.name] = f.sample
            elif f.sample is not None:
                data[f.name] = f.sample
        return data

    @property
    def service_sample(self) -> dict[str, Any]:
        """Sample values of the by_service fields: what the service would add to sample_data."""
        return {f.name: f.sample for f in self.fields
                if getattr(f, "by_service", False) and f.sample is not None}

    @property
    def form_fields(self) -> tuple[FieldSpec | GroupSpec, ...]:
        """The fields a person fills in (the form, the API's body): all but those the service sets
        (FieldSpec.by_service: a body naming one is refused)."""
        return tuple(f for f in self.fields if not getattr(f, "by_service", False))
