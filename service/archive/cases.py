"""Case signs (znak sprawy): the next number per JRWA class and year, in the office's pattern."""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Case, CaseCounter

TOKENS = ("dept", "symbol", "number", "year", "initials")
_TOKEN = re.compile(r"\{(" + "|".join(TOKENS) + r")\}")


def pattern_problems(pattern: str) -> list[str]:
    """What is wrong with a case-sign pattern, in Polish (empty when it is usable)."""
    problems = []
    for needed in ("symbol", "number", "year"):
        if "{" + needed + "}" not in pattern:
            problems.append(f"Wzór musi zawierać {{{needed}}}.")
    leftover = _TOKEN.sub("", pattern)
    if "{" in leftover or "}" in leftover:
        problems.append("Dozwolone znaczniki: " + ", ".join("{" + t + "}" for t in TOKENS) + ".")
    return problems


def format_case_sign(pattern: str, **values: object) -> str:
    """Fills the pattern's known tokens only (never str.format: the pattern is user-editable)."""
    sign = _TOKEN.sub(lambda m: str(values.get(m.group(1), "")), pattern)
    return re.sub(r"\.{2,}", ".", sign).strip(".")  # an empty {initials} leaves no double dot


def open_case(session: Session, *, pattern: str, dept: str, symbol: str, year: int, jrwa_key: str,
              category: str, title: str, assignee_id: int, initials: str = "") -> Case:
    """Opens a new case with the next number of its class and year, within the caller's transaction."""
    counter = session.execute(
        select(CaseCounter).where(CaseCounter.symbol == symbol, CaseCounter.year == year).with_for_update()
    ).scalar_one_or_none()
    if counter is None:
        counter = CaseCounter(symbol=symbol, year=year, last_number=0)
        session.add(counter)
    counter.last_number += 1
    sign = format_case_sign(pattern, dept=dept, symbol=symbol, number=counter.last_number, year=year,
                            initials=initials)
    case = Case(sign=sign, symbol=symbol, year=year, number=counter.last_number, jrwa_key=jrwa_key,
                category=category, title=title[:300], assignee_id=assignee_id)
    session.add(case)
    session.flush()
    return case
