"""Miesięczne sprawozdanie z czasu pracy asystenta rodziny: built from all the assistant's visit
records of the month (families.monthly.time_report_values), filed in the assistant's own case
(filing.STAFF_TIME, families.monthly_issue), accepted by the head."""
from ..fields import full_name
from ...i18n import N_
from ...roles import Role
from ..filing import STAFF_TIME
from ..legal import WR_DOCUMENTATION
from ..spec import DocumentType, FieldSpec, GroupSpec, SignerSlot

HOURS_HELP = "np. 12 h 30 min"
FAMILY_LENGTH = 300  # families.monthly.family_label fits its names within it

MONTHLY_TIME_REPORT = DocumentType(
    slug="monthly_time_report",
    title="Miesięczne sprawozdanie z czasu pracy asystenta rodziny",
    description="Sprawozdanie asystenta rodziny z czasu pracy w danym miesiącu: godziny pracy z każdą rodziną "
                "i według rodzaju zadań, dojazdy i razem, wypełniane ze wszystkich kart pracy asystenta z tego "
                "miesiąca. Akceptuje kierownik ośrodka. Dokument trafia do sprawy asystenta (ewidencja czasu "
                "pracy), nie do sprawy rodziny.",
    api_note="W API: {\"month\": \"2026-11\"} wypełnia pola z kart pracy wywołującego z listopada 2026 r.; "
             "\"assistant\" (login) wskazuje innego asystenta (tylko kierownik ośrodka).",
    legal_basis=WR_DOCUMENTATION,
    filing_class=STAFF_TIME,
    issued_by=frozenset({Role.ASSISTANT, Role.HEAD}),
    signing_summary=N_("To miesięczne sprawozdanie z czasu pracy asystenta rodziny, sporządzone na podstawie jego "
                       "kart pracy z tego miesiąca. Podpisuje je asystent rodziny, a kierownik ośrodka podpisem "
                       "je akceptuje."),
    template_version="v2",  # v1 with a closing sentence kept with the signatures
    fields=(
        FieldSpec("month", "Miesiąc sprawozdania", "month", sample="2026-11",
                  help="RRRR-MM; godziny wylicza się z kart pracy asystenta z tego miesiąca"),
        full_name("assistant_name", "Asystent rodziny", "Katarzyna Zielińska"),
        GroupSpec(
            "family_hours", "Czas pracy z rodzinami", row_label="Rodzina", min_entries=1, max_entries=30,
            growing=True, add_label="Dodaj rodzinę",
            help="Godziny pracy z każdą rodziną w miesiącu (wizyty, kontakty i sprawy rodziny).",
            fields=(
                FieldSpec("case_sign", "Znak sprawy", sample=["MOPS.SPS.4011.12.2026", "MOPS.SPS.4011.15.2026"],
                          max_length=80),
                FieldSpec("family", "Rodzina", sample=["Anna Kowalska, Jan Kowalski", "Ewa Mazur, Marek Mazur"],
                          required=False, max_length=FAMILY_LENGTH),
                FieldSpec("hours", "Czas", sample=["12 h 30 min", "6 h"], max_length=80, help=HOURS_HELP),
            ),
        ),
        GroupSpec(
            "task_hours", "Czas pracy według rodzaju zadań", row_label="Zadanie", min_entries=1, max_entries=8,
            growing=True, add_label="Dodaj zadanie",
            fields=(
                FieldSpec("label", "Rodzaj zadania", sample=["wizyta", "kontakt telefoniczny",
                                                             "towarzyszenie w instytucji"], max_length=80),
                FieldSpec("hours", "Czas", sample=["14 h", "1 h 30 min", "3 h"], max_length=80, help=HOURS_HELP),
            ),
        ),
        FieldSpec("work_hours", "Czas pracy z rodzinami razem", sample="18 h 30 min", max_length=80, help=HOURS_HELP),
        FieldSpec("travel_hours", "Czas dojazdów", sample="4 h 10 min", max_length=80, help=HOURS_HELP),
        FieldSpec("total_hours", "Czas pracy ogółem (z dojazdami)", sample="22 h 40 min", max_length=80,
                  help=HOURS_HELP),
        FieldSpec("remarks", "Uwagi", "textarea", required=False,
                  sample="Dwie wizyty popołudniowe w związku z pracą zmianową rodziców."),
        FieldSpec("assistant_login", "Login asystenta", by_service=True, required=False,
                  help="czyj to czas pracy; ustala system przy wystawieniu"),
        FieldSpec("visit_refs", "Karty pracy, z których sporządzono sprawozdanie", by_service=True, required=False,
                  help="identyfikatory kart pracy; ustala je system przy wystawieniu"),
    ),
    signers=(
        SignerSlot("assistant", "Asystent rodziny", signer="staff", staff_role=Role.ASSISTANT),
        # The catalogue says „supervisor”: the head of the office accepts (the office's head is the
        # assistants' superior; a coordinator is not a signing role of the types on main).
        SignerSlot("head_acceptance", "Kierownik ośrodka (akceptacja)", signer="staff", staff_role=Role.HEAD),
    ),
    case_title=lambda d: "Sprawozdania z czasu pracy asystenta rodziny – " + d.get("assistant_name", ""),
)
