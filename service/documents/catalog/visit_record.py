"""Karta pracy z rodziną (zapis wizyty): one contact of the assistant with the family (issue 11).

Filled on a tablet in the family's home: the date and hours, the place and kind of contact, who
took part (the family's members from the file, ticked, and others as text), the goals of the
current work plan worked on (ticked: the plan's goal numbers, types-contract.md), what was done
and agreed, the next meeting. The assistant signs with their password, then a family member who
took part signs on the tablet. The monthly reports are built from these records
(families.monthly), which read the data keys below: keep them.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from ..context import WARSAW, office_today, polish_date
from ..family_facts import FamilyFacts
from ..fields import date, full_name
from ...i18n import N_
from ...roles import Role
from ..filing import FAMILY_SUPPORT
from ..legal import WR_DOCUMENTATION
from ..spec import DocumentType, FieldSpec, GroupSpec, Issuer, SignerSlot

PLACES = (("home", "w miejscu zamieszkania rodziny"), ("office", "w ośrodku"),
          ("institution", "w instytucji"), ("other", "inne"))
CONTACT_KINDS = (("visit", "wizyta"), ("phone", "kontakt telefoniczny"),
                 ("accompanying", "towarzyszenie w instytucji"),
                 ("institution_contact", "kontakt z instytucją w sprawie rodziny"), ("other", "inne"))
# Whether the family had a work plan in force on the day (stamp): the card says so in words of
# its own when no goal was ticked, instead of a stock sentence that guesses („… albo …”).
PLAN_STATES = (("current", "obowiązywał plan pracy z rodziną"), ("none", "plan pracy z rodziną nie był opracowany"))
PARTICIPANT_ROWS = 8
SAMPLE_GOALS = (("1", "Uporządkowanie budżetu domowego i spłata zaległości czynszowych"),
                ("2", "Regularne uczęszczanie Zosi do szkoły"),
                ("3", "Podjęcie pracy przez Jana Kowalskiego"))


def plan_goals(facts: FamilyFacts | None) -> tuple[tuple[str, str], ...]:
    """The goals of the family's current work plan as choices ("1", „1. Uporządkowanie budżetu…”);
    () without a family's file or before the first plan (the first visits)."""
    plan = facts.plan if facts is not None else None
    if plan is None:
        return ()
    return tuple((str(no), f"{no}. {goal}") for no, goal in plan.goals)


def from_family(facts: FamilyFacts) -> dict[str, Any]:
    """The family's current members as the participants (the adults ticked as present, the
    children left for the assistant to tick), the first adult as the signer, the assistant's
    name; today (Warsaw), at the family's home, a visit: what most records are."""
    rows = [{"full_name": m.full_name, "relation": m.relation_label, "present": m.adult}
            for m in facts.members[:PARTICIPANT_ROWS] if m.full_name.strip()]
    signer = next((r["full_name"] for r in rows if r["present"]), "")
    assistant = facts.assistant.full_name if facts.assistant else ""
    return {"visit_date": office_today().isoformat(), "place": "home", "contact_kind": "visit",
            "participants": rows, "signer_name": signer, "assistant_name": assistant}


def _fold(name: Any) -> str:
    return " ".join(str(name or "").split()).casefold()


# The longest contact one record may hold. A record is one meeting or contact; a longer span is
# a slip of the hours (10.00–9.00 read as across midnight is 23 hours), and even the longest
# working day of the Labour Code's equivalent time system is 12 hours (art. 135 § 1 k.p.).
MAX_VISIT_MINUTES = 12 * 60
_CLOCK = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")
UTC = dt.timezone.utc


def clock(value: Any) -> dt.time | None:
    """A stored time „HH:MM” as a time; None for anything else."""
    match = _CLOCK.fullmatch(value) if isinstance(value, str) else None
    return dt.time(int(match[1]), int(match[2])) if match else None


def span(day: dt.date, since: dt.time, until: dt.time) -> tuple[dt.datetime, dt.datetime]:
    """The start and end of a visit of `day` from `since` to `until` (Warsaw wall-clock times), as
    aware Warsaw datetimes; subtract them after .astimezone(UTC) for the real time elapsed.

    The rules (DATA_KEYS.md, families.monthly): an end earlier than the start is on the next day
    (22.00–1.30), except where the clocks went back that night and the end's second occurrence
    comes after the start (25 October 2026 2.30–2.15 is 45 minutes: 2.30 summer time to 2.15
    winter time); a time that happens twice is otherwise its first occurrence, and one that never
    happens (29 March 2026 2.30) is read with the offset before the change (Python's fold=0).
    Equal times that occur once give the end equal to the start (no duration)."""
    start = dt.datetime.combine(day, since, tzinfo=WARSAW)
    if until > since:
        return start, dt.datetime.combine(day, until, tzinfo=WARSAW)
    later = dt.datetime.combine(day, until, tzinfo=WARSAW).replace(fold=1)  # the second occurrence, if any
    if later.astimezone(UTC) > start.astimezone(UTC):
        return start, later
    if until == since:
        return start, start
    return start, dt.datetime.combine(day + dt.timedelta(days=1), until, tzinfo=WARSAW)


def minutes_of(start: dt.datetime, end: dt.datetime) -> int:
    """Whole minutes elapsed between two aware datetimes (real time, across a change of the clocks)."""
    return int((end.astimezone(UTC) - start.astimezone(UTC)).total_seconds()) // 60


def _exists(moment: dt.datetime) -> bool:
    # a wall time the clocks skipped comes back from UTC as another wall time
    return moment.astimezone(UTC).astimezone(WARSAW).replace(tzinfo=None) == moment.replace(tzinfo=None, fold=0)


def _hm(moment: dt.time | dt.datetime) -> str:
    return f"{moment.hour}.{moment.minute:02d}"  # as the document prints hours (kinds.TimeKind)


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return " ".join(([f"{hours} h"] if hours else []) + ([f"{rest} min"] if rest else []))


def check_times(data: Mapping[str, Any]) -> dict[str, str]:
    """The hours are a visit that can have happened (span: the rules of reading them): each an
    hour the clocks showed that day (not 2.30 on the night they went forward), the end after the
    start (equal hours are a slip; a visit across midnight is written with the earlier end,
    „22:00–1:30”), and at most MAX_VISIT_MINUTES long (10.00–9.00 is not a 23-hour visit).
    Messages at time_from or time_to."""
    since, until = clock(data.get("time_from")), clock(data.get("time_to"))
    try:
        day = dt.date.fromisoformat(str(data.get("visit_date")))
    except ValueError:
        day = None
    if since is None or until is None or day is None:
        return {}
    start, end = span(day, since, until)
    gaps = {}
    for name, moment in (("time_from", start), ("time_to", end)):
        if not _exists(moment):
            shifted = moment.astimezone(UTC).astimezone(WARSAW)
            gaps[name] = (f"Godziny {_hm(moment)} nie było {polish_date(moment.date())}: tej nocy zegary "
                          f"przestawiono o godzinę do przodu (czas letni). Wpisz godzinę według zegara, "
                          f"np. {_hm(shifted)}.")
    if gaps:
        return gaps
    minutes = minutes_of(start, end)
    if minutes == 0:
        return {"time_to": "Godzina zakończenia musi być inna niż godzina rozpoczęcia. Spotkanie, które "
                           "skończyło się po północy, zapisz z godziną następnego dnia, np. 22:00–1:30."}
    if minutes > MAX_VISIT_MINUTES:
        if end.date() > day:
            return {"time_to": f"Tak wpisane spotkanie trwałoby {_duration(minutes)}: od {_hm(start)} do "
                               f"{_hm(end)} następnego dnia. Godzinę zakończenia wcześniejszą niż godzina "
                               "rozpoczęcia wpisuje się tylko dla spotkania, które skończyło się po północy "
                               "(np. 22:00–1:30): sprawdź godziny."}
        return {"time_to": f"Tak wpisane spotkanie trwałoby {_duration(minutes)} (od {_hm(start)} do {_hm(end)}), "
                           f"a karta pracy zapisuje jedno spotkanie, najwyżej {MAX_VISIT_MINUTES // 60} godzin: "
                           "sprawdź godziny."}
    return {}


def check_next_meeting(data: Mapping[str, Any]) -> dict[str, str]:
    """The next meeting is not before this one."""
    day, nxt = data.get("visit_date"), data.get("next_meeting")
    if day and nxt and str(nxt) < str(day):  # ISO dates compare as text
        return {"next_meeting": "Następne spotkanie nie może być wcześniej niż to spotkanie."}
    return {}


def check_signer(data: Mapping[str, Any]) -> dict[str, str]:
    """The family member who signs took part: one of the participants ticked as present."""
    signer = _fold(data.get("signer_name"))
    present = {_fold(r.get("full_name")) for r in data.get("participants") or [] if r.get("present")}
    if not present:
        return {"participants": "Zaznacz co najmniej jednego członka rodziny obecnego na spotkaniu."}
    if signer and signer not in present:
        return {"signer_name": "Kartę podpisuje członek rodziny obecny na spotkaniu: wpisz osobę zaznaczoną "
                               "wyżej jako obecną (albo zaznacz tę osobę jako obecną)."}
    return {}


def stamp(data: Mapping[str, Any], facts: FamilyFacts | None, issuer: Issuer) -> dict[str, Any]:
    """What the service records with the visit: the login of the assistant who issued it, the
    texts of the goals ticked (the plan's wording on the day: the document must say what was
    worked on, not only the numbers), with the plan's id, and for a family's file whether a plan
    was in force (`plan_status`: "current" or "none"; absent for a record made without a file)."""
    goals = dict(plan_goals(facts))
    ticked = [goals[str(no)] for no in data.get("goals_worked") or [] if str(no) in goals]
    out: dict[str, Any] = {"assistant_login": issuer.login, "goals_text": "\n".join(ticked)}
    if facts is not None:
        out["plan_status"] = "current" if facts.plan is not None else "none"
    if facts is not None and facts.plan is not None and ticked:
        out["plan_ref"] = facts.plan.document_id
    return out


VISIT_RECORD = DocumentType(
    slug="visit_record",
    title="Karta pracy z rodziną",
    description="Zapis jednego spotkania lub kontaktu asystenta rodziny z rodziną: data i godziny, miejsce, "
                "uczestnicy, cele planu pracy, nad którymi pracowano, ustalenia i następne spotkanie. "
                "Podpisuje asystent rodziny i obecny członek rodziny.",
    legal_basis=WR_DOCUMENTATION,
    filing_class=FAMILY_SUPPORT,
    issued_by=frozenset({Role.ASSISTANT}),
    needs=("work_open",),
    signing_summary=N_("To zapis dzisiejszego spotkania z asystentem rodziny: kiedy było, kto brał udział, nad "
                       "czym pracowaliście i co ustaliliście na następny raz. Podpis potwierdza, że spotkanie "
                       "się odbyło i że zapis zgadza się z tym, co ustalono."),
    template_version="v2",  # v1 with no stock either/or sentence; the end kept with the signatures
    fields=(
        date("visit_date", "Data spotkania", "2026-11-24", not_future=True),
        FieldSpec("time_from", "Godzina rozpoczęcia", "time", sample="16:00", help="np. 16:00"),
        FieldSpec("time_to", "Godzina zakończenia", "time", sample="17:30",
                  help="po północy wpisz godzinę następnego dnia, np. 1:30"),
        FieldSpec("place", "Miejsce", "choice", choices=PLACES, sample="home"),
        FieldSpec("place_other", "Jakie miejsce", sample="Szkoła Podstawowa nr 2 w Oświęcimiu", max_length=160,
                  required_if=("place", "other"), conditional=True, help="gdy wybrano „inne”"),
        FieldSpec("contact_kind", "Rodzaj kontaktu", "choice", choices=CONTACT_KINDS, sample="visit"),
        FieldSpec("with_social_worker", "Pracownik socjalny brał udział w spotkaniu", "boolean", required=False,
                  sample=False),
        GroupSpec(
            "participants", "Członkowie rodziny", row_label="Osoba", min_entries=1, max_entries=PARTICIPANT_ROWS,
            # the file's members only, not 8 rows of which most stay empty on a tablet
            growing=True, add_label="Dodaj osobę",
            help="Z teczki rodziny; zaznacz osoby obecne na spotkaniu.",
            fields=(
                full_name(sample=["Anna Kowalska", "Jan Kowalski", "Zofia Kowalska"]),
                FieldSpec("relation", "Rola w rodzinie", sample=["matka", "ojciec", "córka"], max_length=60,
                          required=False),
                FieldSpec("present", "Obecna lub obecny na spotkaniu", "boolean", required=False,
                          sample=[True, True, True]),
            ),
        ),
        FieldSpec("others_present", "Inne osoby obecne", required=False, max_length=300,
                  sample="Maria Nowak, pedagog szkolny", help="imię i nazwisko oraz funkcja, np. pedagog szkolny"),
        FieldSpec("goals_worked", "Cele planu pracy, nad którymi pracowano", "multichoice", required=False,
                  choices_from=plan_goals, sample=[],
                  help="z obowiązującego planu pracy z rodziną"),
        FieldSpec("topics", "Co robiono na spotkaniu", "textarea", max_length=2000,
                  sample="Rozmowa o budżecie domowym na grudzień; wspólne rozpisanie wydatków i terminów opłat. "
                         "Omówienie frekwencji Zosi w szkole po rozmowie z wychowawczynią."),
        FieldSpec("institutions", "Instytucje, z którymi się kontaktowano", required=False, max_length=300,
                  sample="Szkoła Podstawowa nr 2 w Oświęcimiu, Powiatowy Urząd Pracy w Oświęcimiu"),
        FieldSpec("tasks_family", "Ustalenia dla rodziny", "textarea", required=False, max_length=1500,
                  sample="Anna Kowalska opłaci czynsz za listopad do 10 grudnia i zachowa potwierdzenie; "
                         "Jan Kowalski zarejestruje się w Powiatowym Urzędzie Pracy."),
        FieldSpec("tasks_assistant", "Ustalenia dla asystenta rodziny", "textarea", required=False,
                  max_length=1500, sample="Umówić spotkanie z wychowawczynią Zosi; przynieść wzór wniosku "
                                          "o dodatek mieszkaniowy."),
        date("next_meeting", "Następne spotkanie", "2026-12-01", required=False),
        FieldSpec("travel_minutes", "Czas dojazdu (minuty)", "integer", required=False, min_value=0,
                  max_value=600, sample=20, help="łącznie w obie strony; do sprawozdania z czasu pracy"),
        full_name("signer_name", "Podpisuje członek rodziny", "Anna Kowalska",
                  help="osoba obecna na spotkaniu, która podpisze kartę na tablecie"),
        full_name("assistant_name", "Asystent rodziny", "Katarzyna Zielińska"),
        # Set by the service (stamp): never typed.
        FieldSpec("assistant_login", "Login asystenta rodziny", by_service=True, required=False, sample="kzielinska"),
        FieldSpec("goals_text", "Cele planu pracy (treść)", "textarea", by_service=True, required=False,
                  sample="\n".join(f"{no}. {goal}" for no, goal in SAMPLE_GOALS[:2])),
        FieldSpec("plan_ref", "Plan pracy (identyfikator)", by_service=True, required=False),
        FieldSpec("plan_status", "Plan pracy z rodziną w dniu spotkania", "choice", choices=PLAN_STATES,
                  by_service=True, required=False, sample="current"),
    ),
    signers=(
        SignerSlot("assistant", "Asystent rodziny", signer="staff", staff_role=Role.ASSISTANT),
        SignerSlot("family_member", "Członek rodziny obecny na spotkaniu", name_field="signer_name"),
    ),
    checks=(check_times, check_next_meeting, check_signer),
    from_family=from_family,
    stamp=stamp,
    case_title=lambda d: "Wsparcie asystenta rodziny – " + ", ".join(
        p.get("full_name", "") for p in d.get("participants", []) if p.get("present")),
)
