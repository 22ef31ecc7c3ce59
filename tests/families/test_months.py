"""Months of the office's work (service/families/months.py): „2026-11” read and checked against
today, a month's Warsaw bounds, and the Polish words of a monthly report."""
from __future__ import annotations

import datetime as dt

import pytest

from service.families.months import Month, MonthRefused, as_month, dates_text, hours_text, parse_month

TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize("text, month", [("2026-11", Month(2026, 11)), (" 2026-12 ", Month(2026, 12)),
                                         ("2025-01", Month(2025, 1)), ("1900-01", Month(1900, 1))])
def test_a_month_is_read(text, month):
    assert parse_month(text, today=TODAY) == month
    assert str(parse_month(text, today=TODAY)) == text.strip()


@pytest.mark.parametrize("text", ["11.2026", "2026-1", "2026-13", "2026-00", "listopad 2026", "2026/11", "",
                                  "２０２６-11", "2026-11-01", None, 202611, ["2026-11"]])
def test_only_yyyy_mm_is_a_month(text):
    with pytest.raises(MonthRefused) as refused:
        parse_month(text, today=TODAY)
    assert str(refused.value) == "Podaj miesiąc w postaci RRRR-MM, np. 2026-11."


def test_a_month_not_begun_is_refused():
    """The current month is accepted (a report may be made on its last day); the next is not,
    judged by the office's day: at 0:30 on 1 December in Warsaw it is December already."""
    with pytest.raises(MonthRefused) as refused:
        parse_month("2027-01", today=TODAY)
    assert str(refused.value) == ("Miesiąc styczeń 2027\u00a0r. jeszcze się nie zaczął: sprawozdanie można "
                                  "sporządzić najwcześniej za bieżący miesiąc (grudzień 2026\u00a0r.).")
    assert parse_month("2026-12", today=dt.date(2026, 12, 1)) == Month(2026, 12)
    with pytest.raises(MonthRefused, match="od roku 1900"):
        parse_month("1899-12", today=TODAY)


def test_as_month_reads_without_today():
    assert as_month("2099-01") == Month(2099, 1) and as_month(Month(2026, 2)) == Month(2026, 2)
    with pytest.raises(MonthRefused):
        as_month("2026-13")


def test_a_month_has_its_warsaw_bounds():
    """Winter: 0:00 in Warsaw is 23:00 UTC; summer: 22:00 UTC. December's end is January's start."""
    utc = dt.timezone.utc
    assert Month(2026, 11).start.astimezone(utc) == dt.datetime(2026, 10, 31, 23, 0, tzinfo=utc)
    assert Month(2026, 4).start.astimezone(utc) == dt.datetime(2026, 3, 31, 22, 0, tzinfo=utc)
    assert Month(2026, 12).next == Month(2027, 1) and Month(2026, 12).end == Month(2027, 1).start
    assert (Month(2028, 2).first, Month(2028, 2).last) == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))
    assert Month.of(dt.date(2026, 11, 30)) == Month(2026, 11)
    assert Month(2026, 11).locative == "listopadzie 2026\u00a0r."
    assert Month(2026, 2).nominative == "luty 2026\u00a0r."


@pytest.mark.parametrize("days, text", [
    ([(2026, 11, 3), (2026, 11, 10), (2026, 11, 17), (2026, 11, 24)], "3, 10, 17 i 24 listopada 2026\u00a0r."),
    ([(2026, 11, 24), (2026, 11, 3), (2026, 11, 24)], "3 i 24 listopada 2026\u00a0r."),
    ([(2026, 11, 5)], "5 listopada 2026\u00a0r."),
    ([(2026, 10, 1), (2026, 11, 3), (2026, 11, 5), (2026, 12, 2)],
     "1 października, 3 i 5 listopada oraz 2 grudnia 2026\u00a0r."),
    ([(2026, 11, 28), (2026, 12, 2)], "28 listopada oraz 2 grudnia 2026\u00a0r."),
    ([(2026, 12, 30), (2027, 1, 2), (2027, 1, 4)], "30 grudnia 2026\u00a0r. oraz 2 i 4 stycznia 2027\u00a0r."),
    ([], ""),
])
def test_dates_as_a_polish_list(days, text):
    assert dates_text(dt.date(*d) for d in days) == text


@pytest.mark.parametrize("minutes, text", [(0, "0 min"), (5, "5 min"), (60, "1 h"), (750, "12 h 30 min"),
                                           (61, "1 h 1 min"), (6000, "100 h")])
def test_hours_as_text(minutes, text):
    assert hours_text(minutes) == text
