"""Periods counted in calendar months, as the deadlines of the family-support act are counted.

A period of months ends on the day of the last month that matches the starting day by number, or
on that month's last day when it has no such day (art. 112 of the Civil Code: 31 January + 1 month
= 28 February, 29 in a leap year). dateutil's relativedelta counts exactly so.
"""
from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` (a date) plus `months` whole calendar months (an int, may be negative), on the last
    day of a shorter month: 31 August + 6 → 28 February (29 in a leap year). Raises ValueError
    past the year 9999."""
    return day + relativedelta(months=months)
