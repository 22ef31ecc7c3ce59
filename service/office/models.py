"""The office profile and the JRWA filing classes, edited by the administrator."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..accounts.models import User
from ..documents.filing import FILING_CLASSES, FilingClass
from ..extensions import db

# The fields of the letterhead, in the order the administrator's page shows them. A new instance
# starts with all of them empty: made-up values (an invented NIP, a head of office who does not
# exist) must never reach a document, so issuing waits until the administrator has filled the
# profile and confirmed it (issuing_paused below).
PROFILE_FIELDS = ("name", "street", "postal_code", "town", "phone", "email", "nip", "regon", "head_name",
                  "head_title", "date_town", "iod_email", "department_code", "case_sign_pattern")
# The case-sign pattern is not made-up data but the form the instrukcja kancelaryjna gives a case
# sign (oznaczenie komórki . symbol klasyfikacyjny . kolejny numer . rok; instrukcja kancelaryjna,
# załącznik nr 1 do rozporządzenia Prezesa Rady Ministrów z 18 stycznia 2011 r.): it starts filled in.
DEFAULT_PROFILE = {**{key: "" for key in PROFILE_FIELDS}, "case_sign_pattern": "{dept}.{symbol}.{number}.{year}"}
# The filing classes the document types use (documents.filing.FILING_CLASSES: key, suggested
# heading), as rows (key, symbol, heading, category): the symbol and archival category are the
# office's own, from its wykaz akt (the State Archives' research found no national symbol for
# them), so they start empty.
DEFAULT_CLASSES = tuple((c.key, "", c.heading, "") for c in FILING_CLASSES)
PAUSED_MESSAGE = ("Wystawianie dokumentów jest wstrzymane: administrator musi uzupełnić "
                  "i zatwierdzić profil urzędu.")


class OfficeProfile(db.Model):
    """The one office this instance serves: what every letterhead says."""

    __tablename__ = "office_profile"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str] = mapped_column(String(120))
    postal_code: Mapped[str] = mapped_column(String(6))
    town: Mapped[str] = mapped_column(String(80))
    phone: Mapped[str] = mapped_column(String(40))
    email: Mapped[str] = mapped_column(String(120))
    nip: Mapped[str] = mapped_column(String(13))
    regon: Mapped[str] = mapped_column(String(14))
    head_name: Mapped[str] = mapped_column(String(120))
    head_title: Mapped[str] = mapped_column(String(200))
    date_town: Mapped[str] = mapped_column(String(80))
    iod_email: Mapped[str] = mapped_column(String(120))
    department_code: Mapped[str] = mapped_column(String(40))
    case_sign_pattern: Mapped[str] = mapped_column(String(80))
    # Who confirmed the profile and when (both empty until then, and again after a change saved
    # without confirming): documents are issued only from a confirmed profile.
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])

    @property
    def confirmed(self) -> bool:
        """Whether the administrator has confirmed the profile as it stands."""
        return self.confirmed_at is not None

    def letterhead(self) -> dict[str, str]:
        """The profile as the template context's `office`."""
        return {key: getattr(self, key) for key in PROFILE_FIELDS}


class JrwaClass(db.Model):
    """A class of the office's filing plan (jednolity rzeczowy wykaz akt) used by document types."""

    __tablename__ = "jrwa_classes"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    symbol: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(10))


def get_profile() -> OfficeProfile:
    """The office profile, created empty (and unconfirmed) on first use, with its filing classes."""
    profile = db.session.get(OfficeProfile, 1)
    if profile is None:
        profile = OfficeProfile(id=1, **DEFAULT_PROFILE)
        db.session.add(profile)
        for key, symbol, title, category in DEFAULT_CLASSES:
            if db.session.get(JrwaClass, key) is None:
                db.session.add(JrwaClass(key=key, symbol=symbol, title=title, category=category))
        db.session.commit()
    return profile


def filing_row(session: Session, filing_class: FilingClass) -> JrwaClass:
    """The office's row of a declared filing class; added (and committed) with the class's
    suggested heading and an empty symbol and category when the office's table lacks it (a class
    declared after the office's profile was made), so issuing never fails for a missing class.

    Two requests adding the same class at once: the second one's insert fails on the key, is rolled
    back, and the first one's row is returned.
    """
    row = session.get(JrwaClass, filing_class.key)
    if row is not None:
        return row
    try:
        with session.begin_nested():
            session.add(JrwaClass(key=filing_class.key, symbol="", title=filing_class.heading, category=""))
        session.commit()
    except IntegrityError:
        session.rollback()
    return session.get(JrwaClass, filing_class.key)


def issuing_paused() -> str | None:
    """Why no document may be issued now, in Polish, or None when issuing may go on.

    Documents are issued only from a profile the administrator has confirmed (a fresh instance's
    is empty; see PROFILE_FIELDS). The message says who must do what.
    """
    return None if get_profile().confirmed else PAUSED_MESSAGE
