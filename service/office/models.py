"""The office profile and the JRWA filing classes, edited by the administrator."""
from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

# The example values a new instance starts with; the administrator replaces them on first use.
DEFAULT_PROFILE = {
    "name": "Miejski Ośrodek Pomocy Społecznej w Oświęcimiu",
    "street": "ul. Zaborska 2",
    "postal_code": "32-600",
    "town": "Oświęcim",
    "phone": "33 842 11 00",
    "email": "sekretariat@mops.oswiecim.pl",
    "nip": "5490000003",
    "regon": "072543210",
    "head_name": "Anna Nowak",
    "head_title": "Dyrektor Miejskiego Ośrodka Pomocy Społecznej w Oświęcimiu",
    "date_town": "Oświęcim",
    "iod_email": "iod@mops.oswiecim.pl",
    "department_code": "MOPS.SPS",
    "case_sign_pattern": "{dept}.{symbol}.{number}.{year}",
}
# JRWA symbols and categories are the office's own; these are placeholders to be replaced
# from the office's wykaz akt (the State Archives' research found no national symbol for them).
DEFAULT_CLASSES = (
    ("family_support", "4011", "Asysta rodzinna – wspieranie rodziny (ustawa o wspieraniu rodziny)", "BE10"),
    ("za_zyciem", "4012", "Koordynacja wsparcia – ustawa „Za życiem”", "BE10"),
)


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

    def letterhead(self) -> dict[str, str]:
        """The profile as the template context's `office`."""
        return {key: getattr(self, key) for key in DEFAULT_PROFILE}


class JrwaClass(db.Model):
    """A class of the office's filing plan (jednolity rzeczowy wykaz akt) used by document types."""

    __tablename__ = "jrwa_classes"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    symbol: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(10))


def get_profile() -> OfficeProfile:
    """The office profile, created with example values on first use."""
    profile = db.session.get(OfficeProfile, 1)
    if profile is None:
        profile = OfficeProfile(id=1, **DEFAULT_PROFILE)
        db.session.add(profile)
        for key, symbol, title, category in DEFAULT_CLASSES:
            if db.session.get(JrwaClass, key) is None:
                db.session.add(JrwaClass(key=key, symbol=symbol, title=title, category=category))
        db.session.commit()
    return profile
