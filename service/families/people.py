"""Facts about family members that follow from what was typed: the date of birth from a PESEL,
whether a member is of age, and the folded form of a name that the search compares."""
from __future__ import annotations

import datetime as dt
import unicodedata

from stdnum.pl import pesel as stdnum_pesel

# Kodeks cywilny art. 10 § 1: a person is of age (pełnoletni) at 18.
AGE_OF_MAJORITY = 18

# Letters NFKD does not split into a base letter and a mark: Polish ł, and a few of other scripts.
_NO_DECOMPOSITION = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ß": "ss",
                                   "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i"})


def fold(text: str) -> str:
    """A name as the search compares it: lower case, without diacritics, spaces collapsed.

    'Łucja  Żółkiewska' -> 'lucja zolkiewska'; Cyrillic and other scripts keep their letters (only
    their combining marks go: 'Йосип' -> 'иосип', which the query is folded to alike).
    """
    text = unicodedata.normalize("NFKD", text.translate(_NO_DECOMPOSITION))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


def birth_date_from_pesel(pesel: str | None) -> dt.date | None:
    """The date of birth a valid PESEL encodes (month + 20/40/60/80 for the 2000s/2100s/2200s/1800s),
    else None (python-stdnum's stdnum.pl.pesel)."""
    if not pesel:
        return None
    try:
        return stdnum_pesel.get_birth_date(stdnum_pesel.validate(pesel))
    except Exception:  # stdnum raises its ValidationError subclasses or ValueError for a bad date
        return None


def sex_from_pesel(pesel: str | None) -> str:
    """'woman' or 'man' from a valid PESEL's tenth digit (even: woman), else ''."""
    if birth_date_from_pesel(pesel) is None:
        return ""
    return "woman" if int(pesel[9]) % 2 == 0 else "man"


def age_on(born: dt.date, day: dt.date) -> int:
    """Full years of age on `day` of a person born on `born` (a 29 February birthday counts on 1 March)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def is_adult(born: dt.date | None, day: dt.date) -> bool | None:
    """Whether a person born on `born` is of age (18, Kodeks cywilny art. 10) on `day`; None if unknown."""
    return None if born is None else age_on(born, day) >= AGE_OF_MAJORITY


def count_pl(n: int, one: str, few: str, many: str) -> str:
    """A count with its noun in the Polish plural form: count_pl(3, "rok", "lata", "lat") -> '3 lata'
    (one for 1; few for 2–4, 22–24, … but not 12–14; many for the rest)."""
    if n == 1:
        return f"1 {one}"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return f"{n} {few}"
    return f"{n} {many}"


def years_text(n: int) -> str:
    """An age in words as Polish says it: 'mniej niż rok', '1 rok', '3 lata', '12 lat', '22 lata'."""
    return "mniej niż rok" if n == 0 else count_pl(n, "rok", "lata", "lat")
