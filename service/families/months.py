"""Calendar months of the office's work: „2026-11” read and checked, a month's bounds in
Europe/Warsaw, and the Polish words a monthly report says about months, dates and hours.

A month is the office's calendar month: it starts at 0:00 Warsaw time on its first day and ends at
0:00 Warsaw time on the first day of the next one (so 1 November 0:30 belongs to November although
it is still 31 October in UTC). Monthly reports are due for
the previous month by the 5th (the offices' procedures, ../shared/seeds/), so a month that has not
started yet has no report.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from zoneinfo import ZoneInfo

WARSAW = ZoneInfo("Europe/Warsaw")

# The month's name as a Polish date says it („3 listopada”), as a report says where („w listopadzie”)
# and as a heading names it („listopad 2026 r.”).
GENITIVE = ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września",
            "października", "listopada", "grudnia")
LOCATIVE = ("styczniu", "lutym", "marcu", "kwietniu", "maju", "czerwcu", "lipcu", "sierpniu", "wrześniu",
            "październiku", "listopadzie", "grudniu")
NOMINATIVE = ("styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec", "sierpień", "wrzesień",
              "październik", "listopad", "grudzień")

# „r.” stays on the line of its year (as context.polish_date does).
_YEAR_SUFFIX = "\u00a0r."
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
# As dates on the forms (forms_builder.EARLIEST_DATE): an earlier year is a typing slip.
EARLIEST_YEAR = 1900


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, e.g. Month(2026, 11); str() gives „2026-11” (the contract's `YYYY-MM`)."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.year <= 9999:
            raise ValueError(f"no such month: {self.year}-{self.month}")

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @classmethod
    def of(cls, day: dt.date) -> "Month":
        """The month of a date (of a datetime: of its own date, in its own zone)."""
        return cls(day.year, day.month)

    @property
    def first(self) -> dt.date:
        """Its first day."""
        return dt.date(self.year, self.month, 1)

    @property
    def next(self) -> "Month":
        """The month after it."""
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def last(self) -> dt.date:
        """Its last day."""
        return self.next.first - dt.timedelta(days=1)

    @property
    def start(self) -> dt.datetime:
        """0:00 Warsaw time on its first day (an aware datetime)."""
        return dt.datetime.combine(self.first, dt.time(0, 0), tzinfo=WARSAW)

    @property
    def end(self) -> dt.datetime:
        """0:00 Warsaw time on the next month's first day: the month is [start, end)."""
        return self.next.start

    @property
    def nominative(self) -> str:
        """„listopad 2026 r.” (a heading: „Sprawozdanie za miesiąc listopad 2026 r.”)."""
        return f"{NOMINATIVE[self.month - 1]} {self.year}{_YEAR_SUFFIX}"

    @property
    def locative(self) -> str:
        """„listopadzie 2026 r.” (after „w”: „W listopadzie 2026 r. …”)."""
        return f"{LOCATIVE[self.month - 1]} {self.year}{_YEAR_SUFFIX}"


class MonthRefused(ValueError):
    """A month typed wrongly or not started yet; str() is the Polish message for the field."""


def parse_month(text: object, today: dt.date | None = None) -> Month:
    """The month of „2026-11” (exactly four digits, a hyphen, two digits; spaces around are ignored).

    `today` is the office's date (default: today in Warsaw, documents.context.office_today); a month
    after the one `today` is in is refused, since nothing of it can be reported yet. The current
    month is accepted (a report may be prepared on its last day). Raises MonthRefused with the
    Polish message for the field.
    """
    match = _MONTH.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None or not 1 <= int(match[2]) <= 12:
        raise MonthRefused("Podaj miesiąc w postaci RRRR-MM, np. 2026-11.")
    # The year is judged before a Month is made: „0000-01” has no Month (years start at 1).
    if int(match[1]) < EARLIEST_YEAR:
        raise MonthRefused(f"Podaj miesiąc od roku {EARLIEST_YEAR}, np. 2026-11.")
    month = Month(int(match[1]), int(match[2]))
    if today is None:
        from ..documents.context import office_today
        today = office_today()
    if month > Month.of(today):
        raise MonthRefused(f"Miesiąc {month.nominative} jeszcze się nie zaczął: sprawozdanie można "
                           f"sporządzić najwcześniej za bieżący miesiąc ({Month.of(today).nominative}).")
    return month


def as_month(value: "Month | str") -> Month:
    """A Month as given, or read from „YYYY-MM” (no check against today); raises MonthRefused."""
    if isinstance(value, Month):
        return value
    return parse_month(value, today=dt.date.max)


def _and_list(items: list[str], last_joiner: str = " i ") -> str:
    """„a”, „a i b”, „a, b i c”."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + last_joiner + items[-1]


def dates_text(days: Iterable[dt.date]) -> str:
    """The days as a Polish list, each month named once and each year once, in date order:
    „3, 10, 17 i 24 listopada 2026 r.”, „28 listopada oraz 2 grudnia 2026 r.”,
    „30 grudnia 2026 r. oraz 2 i 4 stycznia 2027 r.”; a day given twice is said once; none gives "".
    """
    ordered = sorted(set(days))
    years: list[str] = []
    for year in sorted({d.year for d in ordered}):
        months = []
        for month in sorted({d.month for d in ordered if d.year == year}):
            numbers = [str(d.day) for d in ordered if d.year == year and d.month == month]
            months.append(f"{_and_list(numbers)} {GENITIVE[month - 1]}")
        years.append(f"{_and_list(months, ' oraz ')} {year}{_YEAR_SUFFIX}")
    # „oraz” between months and years: „i” is the days' („3 i 5 listopada oraz 2 grudnia”).
    return _and_list(years, " oraz ")


def hours_text(minutes: int) -> str:
    """Minutes as hours and minutes: 750 → „12 h 30 min”, 60 → „1 h”, 45 → „45 min”, 0 → „0 min”
    (the unit symbols of the SI brochure, as time sheets write them)."""
    hours, rest = divmod(int(minutes), 60)
    parts = ([f"{hours} h"] if hours else []) + ([f"{rest} min"] if rest or not hours else [])
    return " ".join(parts)
