"""The office profile and the JRWA filing classes, edited by the administrator."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
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
# The filing classes the document types use (DocumentType.jrwa_key), with a suggested heading; the
# symbol and archival category are the office's own, from its wykaz akt (the State Archives'
# research found no national symbol for them), so they start empty.
DEFAULT_CLASSES = (
    ("family_support", "", "Asysta rodzinna – wspieranie rodziny (ustawa o wspieraniu rodziny)", ""),
    ("za_zyciem", "", "Koordynacja wsparcia – ustawa „Za życiem”", ""),
)
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


def issuing_paused() -> str | None:
    """Why no document may be issued now, in Polish, or None when issuing may go on.

    Documents are issued only from a profile the administrator has confirmed (a fresh instance's
    is empty; see PROFILE_FIELDS). The message says who must do what.
    """
    return None if get_profile().confirmed else PAUSED_MESSAGE
