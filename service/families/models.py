"""The family's file (teczka): the family, its members, the basis of support, the assistant's
assignments, the history of changes, and its one case (sprawa) with the case sign.

One family has one case, opened at registration in the JRWA class of its basis of support; every
document issued for the family is filed in it (documents.issue). Rows of the register of cases are
never updated; a family's own data is (a new address, a new child), and each such change leaves a
FamilyChange row saying who changed what and when. Documents already issued keep their own data.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User, utcnow
from ..extensions import db

# The two supports an office gives through an assistant, each filed in its own JRWA class
# (office.models.DEFAULT_CLASSES): the family-support act (art. 11) and „Za życiem” (art. 8).
SUPPORTS = {
    "family_support": "wspieranie rodziny (ustawa z dnia 9 czerwca 2011 r.)",
    "za_zyciem": "koordynacja wsparcia „Za życiem” (ustawa z dnia 4 listopada 2016 r.)",
}
# The basis of support, by support: art. 11 ust. 1–2 of the family-support act (the social
# worker's request after the social interview; a court order under art. 109 § 2 pkt 1 of the Family
# and Guardianship Code) or a referral from an institution (school, clinic, police) that the social
# worker turned into a request; „Za życiem” art. 8 with art. 4: the family's application.
BASIS_KINDS = {
    "request": ("family_support", "wniosek pracownika socjalnego po wywiadzie środowiskowym"),
    "court": ("family_support", "postanowienie sądu"),
    "referral": ("family_support", "zgłoszenie instytucji"),
    "zz_application": ("za_zyciem", "wniosek rodziny („Za życiem”)"),
    # A file made from a document issued before families existed, or without one: the basis is
    # not known until staff complete it on the family's page.
    "unknown": ("", "do uzupełnienia"),
}
ZZ_SITUATIONS = {
    "pregnancy": "ciąża",
    "diagnosis": "diagnoza ciężkiego i nieodwracalnego upośledzenia albo nieuleczalnej choroby dziecka",
    "loss": "utrata dziecka",
}
RELATIONS = {
    "mother": "matka",
    "father": "ojciec",
    "guardian": "opiekun prawny",
    "child": "dziecko",
    "partner": "partner lub partnerka rodzica",
    "grandparent": "babcia lub dziadek",
    "sibling": "rodzeństwo rodzica",
    "pregnant": "kobieta w ciąży",
    "other": "inna osoba",
}
# Where a family's file came from: registered on its page or through the API, made from a document
# issued without a family, or made by the migration from a case that existed before families.
ORIGINS = ("registered", "document", "migration")

class CaseCounter(db.Model):
    """The last case number used per JRWA class and year (the spis spraw's running number)."""

    __tablename__ = "case_counters"
    symbol: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class CaseNumber(db.Model):
    """A case number taken from its counter but not (yet) in the register of cases.

    While the first document of a new case is being made, its number is reserved here (`token` set,
    `reserved_at` when). When it is issued, the row is deleted and the case enters `cases`; when
    issuing fails, the number is released (`token` empty) and given to the next new case of the same
    class and year, so the register keeps no gap (see archive/cases.py).
    """

    __tablename__ = "case_numbers"
    symbol: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    token: Mapped[str | None] = mapped_column(String(32))
    reserved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Case(db.Model):
    """A case (sprawa) with its sign, e.g. MOPS.SPS.4011.12.2026; documents are filed under it."""

    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("symbol", "year", "number", name="uq_cases_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sign: Mapped[str] = mapped_column(String(80), unique=True)
    symbol: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]
    number: Mapped[int]
    jrwa_key: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(300))
    assignee_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    assignee: Mapped[User] = relationship(foreign_keys=[assignee_id])
    documents: Mapped[list["DocumentRecord"]] = relationship(back_populates="case", order_by="DocumentRecord.created_at")
    family: Mapped["Family | None"] = relationship(back_populates="case", uselist=False)


class Family(db.Model):
    """A family supported by the office: its address, basis of support, social worker and case."""

    __tablename__ = "families"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    support: Mapped[str] = mapped_column(String(20))  # a key of SUPPORTS: the JRWA class of its case
    basis_kind: Mapped[str] = mapped_column(String(20))  # a key of BASIS_KINDS
    # The basis's own data, dates as ISO strings: request_date; court_name, court_division,
    # court_case_number, court_decision_date; institution_name, letter_date, letter_number;
    # application_date, situation (ZZ_SITUATIONS).
    basis: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    street: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(6), default="")
    town: Mapped[str] = mapped_column(String(80), default="")
    # Empty when letters go to the address above.
    corr_street: Mapped[str] = mapped_column(String(200), default="")
    corr_postal_code: Mapped[str] = mapped_column(String(6), default="")
    corr_town: Mapped[str] = mapped_column(String(80), default="")
    social_worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, default=None)
    origin: Mapped[str] = mapped_column(String(20), default="registered")
    # The one-time token of the registration page's form (32 hex digits) that made this file: the
    # same form sent again (a double click, a reload) finds this family instead of making another.
    submission: Mapped[str | None] = mapped_column(String(32), unique=True, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    case: Mapped[Case] = relationship(back_populates="family")
    social_worker: Mapped[User | None] = relationship(foreign_keys=[social_worker_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    members: Mapped[list["FamilyMember"]] = relationship(back_populates="family", order_by="FamilyMember.position")
    assignments: Mapped[list["Assignment"]] = relationship(back_populates="family", order_by="Assignment.start_date")
    changes: Mapped[list["FamilyChange"]] = relationship(back_populates="family", order_by="FamilyChange.at")

    @property
    def current_members(self) -> list["FamilyMember"]:
        """The members who have not left the family, in the order they were entered."""
        return [m for m in self.members if m.left_on is None]

    @property
    def current_assignment(self) -> "Assignment | None":
        """The assignment not yet ended (at most one: a new one ends the old), else None."""
        return next((a for a in reversed(self.assignments) if a.end_date is None), None)

    @property
    def name(self) -> str:
        """How staff name the family: the current members' full names, adults first."""
        people = sorted(self.current_members, key=lambda m: m.relation == "child")
        return ", ".join(m.full_name for m in people) or self.case.sign


class FamilyMember(db.Model):
    """A member of the family: name, PESEL or date of birth, relation in the family, contact."""

    __tablename__ = "family_members"
    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    full_name: Mapped[str] = mapped_column(String(160))
    # The name without diacritics, lower case (families.search.fold): what the search compares.
    name_folded: Mapped[str] = mapped_column(String(160), index=True)
    pesel: Mapped[str | None] = mapped_column(String(11), index=True, default=None)
    # From the PESEL when there is one (its first six digits and the century in the month),
    # else as typed: whether a member is of age follows from it (families.people).
    birth_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    sex: Mapped[str] = mapped_column(String(10), default="")  # "woman", "man" or "" (unknown)
    relation: Mapped[str] = mapped_column(String(20))  # a key of RELATIONS
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    left_on: Mapped[dt.date | None] = mapped_column(Date, default=None)  # no longer in the family
    family: Mapped[Family] = relationship(back_populates="members")

    @property
    def relation_label(self) -> str:
        """The relation in Polish, e.g. „matka”."""
        return RELATIONS.get(self.relation, self.relation)


class Assignment(db.Model):
    """An assistant working with a family from start_date until end_date (open while it lasts).

    Art. 15 ust. 4 of the family-support act: an assistant works with at most 15 families at a time
    (the office's setting families.settings.family_limit); a change of assistant ends the old
    assignment the day before the new one starts, so the history stays.
    """

    __tablename__ = "assignments"
    __table_args__ = (Index("ix_assignments_assistant_open", "assistant_id", "end_date"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    assistant_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    # Set when a final report ended the assignment: the family is monitored until then (art. 15
    # ust. 1 pkt 16), and the assistant keeps reading its file to write the monitoring notes.
    monitoring_until: Mapped[dt.date | None] = mapped_column(Date, default=None)
    family: Mapped[Family] = relationship(back_populates="assignments")
    assistant: Mapped[User] = relationship(foreign_keys=[assistant_id])

    @property
    def took_effect(self) -> bool:
        """False for an assignment replaced on or before its first day (it ends before it starts)."""
        return self.end_date is None or self.end_date >= self.start_date
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])


class FamilyChange(db.Model):
    """One change to a family's file: who, when, what (field or member) from what to what."""

    __tablename__ = "family_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    # registered, address, correspondence, basis, social_worker, member_added, member_changed,
    # member_left, assignment, assignment_ended, monitoring
    what: Mapped[str] = mapped_column(String(30))
    before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    family: Mapped[Family] = relationship(back_populates="changes")
    by: Mapped[User | None] = relationship()


class OfficeSettings(db.Model):
    """The office's settings for the work with families (one row), each with its legal default."""

    __tablename__ = "office_settings"
    id: Mapped[int] = mapped_column(primary_key=True)
    # art. 15 ust. 4 ustawy o wspieraniu rodziny: at most 15 families per assistant at a time
    # (an office may set fewer, never more: the form refuses it).
    family_limit: Mapped[int] = mapped_column(default=15)
    # The deadlines of the work with a family (families.deadlines); the sources of each default are
    # in families.settings.DEADLINE_SETTINGS.
    first_visit_days: Mapped[int] = mapped_column(default=14, server_default="14")
    visit_interval_days: Mapped[int] = mapped_column(default=14, server_default="14")
    plan_months: Mapped[int] = mapped_column(default=1, server_default="1")
    report_day: Mapped[int] = mapped_column(default=5, server_default="5")
    assessment_months: Mapped[int] = mapped_column(default=6, server_default="6")
    monitoring_months: Mapped[int] = mapped_column(default=2, server_default="2")


class CalendarFeed(db.Model):
    """A staff member's secret calendar link (/calendar/<token>.ics) with their deadlines.

    Only the SHA-256 of the token is stored (a database dump opens no calendar); a revoked or
    replaced link keeps its row with revoked_at, so the access log's reads stay explained.
    """

    __tablename__ = "calendar_feeds"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    user: Mapped[User] = relationship()
