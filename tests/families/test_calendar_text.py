"""The calendar feed's event text (families.calendar_feed.calendar_bytes), parsed with icalendar:
whose time report an event is when the feed lists other assistants' reports (the head's), and who
writes the monitoring note."""
from __future__ import annotations

import datetime as dt

import icalendar

from service.families.calendar_feed import calendar_bytes
from service.families.deadlines import Deadline

DUE = dt.date(2026, 12, 5)
STAMP = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.timezone.utc)


def report(assistant_id: int, name: str) -> Deadline:
    return Deadline(kind="monthly_time_report", label="Sprawozdanie z czasu pracy – listopad 2026", family_id=None,
                    case_sign="", due=DUE, status="soon", assistant_id=assistant_id, assistant_name=name,
                    period="2026-11")


def events(body: bytes) -> dict[str, icalendar.Event]:
    return {str(e["SUMMARY"]): e for e in icalendar.Calendar.from_ical(body).walk("VEVENT")}


def test_the_heads_feed_names_whose_time_report_each_is_and_an_assistants_own_does_not():
    two = [report(7, "Katarzyna Zielińska"), report(8, "Ewa Nowak")]
    heads = events(calendar_bytes(two, STAMP, owner_id=1))
    assert set(heads) == {"Sprawozdanie z czasu pracy – listopad 2026 – Katarzyna Zielińska",
                          "Sprawozdanie z czasu pracy – listopad 2026 – Ewa Nowak"}
    own = events(calendar_bytes(two[:1], STAMP, owner_id=7))
    assert set(own) == {"Sprawozdanie z czasu pracy – listopad 2026"}


def test_the_monitoring_note_is_written_by_the_social_worker_or_the_assistant():
    monitoring = Deadline(kind="monitoring", label="Monitorowanie po zakończeniu pracy (notatka)", family_id=3,
                          case_sign="MOPS.SR.4011.3.2026", due=DUE, status="soon", assistant_id=7,
                          assistant_name="Katarzyna Zielińska", responsible="social_worker")
    (event,) = events(calendar_bytes([monitoring], STAMP, owner_id=7)).values()
    assert str(event["SUMMARY"]) == "Monitorowanie po zakończeniu pracy (notatka) – sprawa MOPS.SR.4011.3.2026"
    assert "pracownik socjalny lub asystent rodziny" in str(event["DESCRIPTION"])
    assert "Zielińska" not in str(event["SUMMARY"])  # a family's deadline names its case, not its staff
