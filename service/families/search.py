"""Finding a family among those a staff member may read: by a member's name, without caring about
Polish letters or case, in any word order, or by an exact PESEL.

A query of exactly 11 digits is a PESEL and matches that number only (never a part of a name or
of another number); anything else is folded (people.fold: 'Łucja ŻÓŁW' -> 'lucja zolw') and each
of its words must occur in one member's folded name (a LIKE on FamilyMember.name_folded, so it
runs alike on SQLite and PostgreSQL). Every search is logged; a PESEL is personal data, so the
log says "PESEL" instead of the number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..audit import Origin, record
from ..documents.text import normalize_identifier, normalize_line
from .access import visible_families
from .models import Family, FamilyMember
from .people import fold

PER_PAGE = 25
# The last page anyone may ask for: OFFSET stays within the databases' 64-bit integers.
MAX_PAGE = 10**6
_PESEL = re.compile(r"[0-9]{11}")
_MAX_WORDS = 8  # a name has a few words; more is a paste, and each is a LIKE


@dataclass(frozen=True)
class SearchResult:
    """One page of families, newest first; `has_more` when a next page exists."""

    families: list[Family]
    has_more: bool
    page: int
    by_pesel: bool


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_families(session: Session, actor: User, origin: Origin, query: str = "", *, page: int = 1,
                    per_page: int = PER_PAGE) -> SearchResult:
    """The families `actor` may read (families.access) whose current or past member matches
    `query` (all of them for an empty one), page `page` (from 1) of `per_page`. Logs "search"
    "family" with the number of results on the page and the kind of query ("PESEL" or the
    number of words: never the query's text)."""
    # Read as registration reads what it stores (forms_base): a PESEL pasted in full-width digits or
    # with an en dash, a name with a soft hyphen or a zero-width space from a Word document.
    query = normalize_line(query or "")
    compact = re.sub(r"[\s-]", "", normalize_identifier(query))
    by_pesel = bool(_PESEL.fullmatch(compact))
    stmt = visible_families(actor)
    if by_pesel:
        stmt = stmt.where(exists().where(FamilyMember.family_id == Family.id, FamilyMember.pesel == compact))
        kind = "PESEL"
    else:
        words = fold(query).split()[:_MAX_WORDS]
        if words:
            stmt = stmt.where(exists().where(FamilyMember.family_id == Family.id, and_(
                *(FamilyMember.name_folded.like(f"%{_escape(w)}%", escape="\\") for w in words))))
        kind = f"słowa: {len(words)}" if words else "wszystkie"
    page = min(max(page, 1), MAX_PAGE)
    rows = session.execute(stmt.order_by(None).order_by(Family.created_at.desc(), Family.id.desc())
                           .limit(per_page + 1).offset((page - 1) * per_page)).scalars().all()
    record(session, actor, origin, "search", "family", detail=f"wyniki: {len(rows[:per_page])}, {kind}")
    return SearchResult(families=rows[:per_page], has_more=len(rows) > per_page, page=page, by_pesel=by_pesel)
