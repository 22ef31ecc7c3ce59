"""Polish grammar for documents: the gender of a person, the number of a group, names in a case.

A generated document knows who it is about and must not speak in slash forms („podpisana/y”)
nor print a name in the nominative where the sentence needs another case. This module gives:

- `gender_of(name, pesel, chosen)` -> "f" | "m" | None: the grammatical gender of a person, from
  the PESEL's sex digit (the tenth digit: even for a woman, odd for a man; rozporządzenie MSWiA
  w sprawie sposobu nadawania numeru PESEL, as python-stdnum's stdnum.pl.pesel.get_gender reads
  it), else from the staff member's choice (a „Płeć” field), else from the first given name as the
  SGJP dictionary knows it (Morfeusz 2, interpretations qualified „imię”);
- `decline(name, case, gender)` -> the whole name in a case, or None when any part of it is not in
  the dictionary, is ambiguous, or is not written in Latin letters: a name is never declined by
  guess. Generated with Morfeusz 2 (`morfeusz2`, SGJP dictionary) from the lemma that matches the
  person's gender („Kowalski:Sm1” for a man, the indeclinable „Kowalski:Sf” for a woman);
- `Person` and `Persons`, what a template receives for each person or group it speaks about, and
  the Jinja filters `named`, `agree` and `agree_number` (see `FILTERS` and
  forms_templates/README.md) that print a name in a case and choose a word by gender and number.

The Morfeusz instance is made once per process and shared behind a lock: Morfeusz 2 does not
promise that one object may be used by two threads at once (its C++ object keeps the analysis
graph and result buffers as members that every call reuses), and gunicorn runs 8 threads per
worker. A call takes microseconds and results are cached (lru_cache), so the lock never queues
for long; one instance per thread would cost its dictionary's memory eight times.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from stdnum.pl import pesel as stdnum_pesel

Gender = Literal["f", "m"]
CASES = ("nom", "gen", "dat", "acc", "inst", "loc")
NBSP = "\u00a0"

# The honorific before a name, in each case: „Pani Katarzyna”, „Panią Katarzynę”, „Pana Jana”...
HONORIFIC = {
    "f": {"nom": "Pani", "gen": "Pani", "dat": "Pani", "acc": "Panią", "inst": "Panią", "loc": "Pani"},
    "m": {"nom": "Pan", "gen": "Pana", "dat": "Panu", "acc": "Pana", "inst": "Panem", "loc": "Panu"},
}
# „osoba” (feminine noun, whatever the person's sex) where the gender is not known.
PERSON_NOUN = {"nom": "osoba", "gen": "osoby", "dat": "osobie", "acc": "osobę", "inst": "osobą", "loc": "osobie"}
# How a name the dictionary does not know is put where the sentence needs another case: as a
# label in the nominative („Panią o imieniu i nazwisku Ołena Kowalenko”), which needs no inflection.
LABEL_ONE = f"o{NBSP}imieniu i{NBSP}nazwisku"
LABEL_MORE = f"o{NBSP}imionach i{NBSP}nazwisku"

_lock = threading.Lock()
_morfeusz = None


def _instance():
    # Made on first use (about 50 ms and some megabytes): a process that renders nothing pays nothing.
    global _morfeusz
    if _morfeusz is None:
        import morfeusz2
        _morfeusz = morfeusz2.Morfeusz(generate=True)
    return _morfeusz


def _analyse(word: str) -> list:
    with _lock:
        return _instance().analyse(word)


def _generate(lemma: str) -> list:
    with _lock:
        return _instance().generate(lemma)


# ---------------------------------------------------------------------------- tags

@dataclass(frozen=True)
class _Tag:
    pos: str
    numbers: frozenset[str]
    cases: frozenset[str]
    genders: frozenset[str]


def _tag(tag: str) -> _Tag | None:
    # "subst:sg.pl:nom.gen.dat.acc.inst.loc.voc:f" (the NKJP tagset of Morfeusz 2 / SGJP)
    parts = tag.split(":")
    if parts[0] != "subst" or len(parts) < 4:
        return None
    return _Tag("subst", frozenset(parts[1].split(".")), frozenset(parts[2].split(".")),
                frozenset(parts[3].split(".")))


def _qualified(qualifiers: Sequence[str], role: str) -> bool:
    # "nazwisko_(odmężowskie)" (Nowakowa) is a surname too
    return any(q == role or q.startswith(role + "_") for q in qualifiers)


_SEX_GENDER = {"f": "f", "m": "m1"}  # the person's gender -> the SGJP gender of their name


# ---------------------------------------------------------------------------- gender

def gender_from_pesel(pesel: str | None) -> Gender | None:
    """'f' or 'm' from a valid PESEL's sex digit (10th digit even: woman, odd: man), else None.

    Takes the PESEL as 11 digits (other text, or a PESEL with a wrong checksum, gives None).
    """
    if not pesel or not stdnum_pesel.is_valid(pesel):
        return None
    return "f" if stdnum_pesel.get_gender(pesel) == "F" else "m"


@lru_cache(maxsize=4096)
def gender_from_first_name(name: str) -> Gender | None:
    """'f' or 'm' from the first given name of a full name, when the dictionary is sure, else None.

    Takes a full name („Anna Maria Kowalska”); reads its first word only. The SGJP dictionary
    marks given names with the qualifier „imię”: a name known only as a woman's (f) or only as a
    man's (m1) name decides; an unknown name („Ołena”), or one known as both, gives None.
    """
    words = name.split()
    if not words or not _latin(words[0]):
        return None
    # „anna kowalska” typed in lower case is still Anna (the dictionary holds names capitalised;
    # capitals, „ANNA”, it reads as they are)
    first = words[0][:1].upper() + words[0][1:] if words[0].islower() else words[0]
    found = set()
    for start, end, (orth, _lemma, tag, qualifiers, _labels) in _analyse(first):
        parsed = _tag(tag)
        if (start, end) != (0, 1) or parsed is None or not _qualified(qualifiers, "imię"):
            continue
        if "sg" in parsed.numbers and "nom" in parsed.cases:
            found |= {g for g, sgjp in _SEX_GENDER.items() if sgjp in parsed.genders}
    return found.pop() if len(found) == 1 else None


def gender_of(name: str | None, pesel: str | None = None, chosen: str | None = None) -> Gender | None:
    """The grammatical gender of a person: from the PESEL, else the staff's choice, else the name.

    `chosen` is the value of the person's „Płeć” field ("f", "m" or empty). The PESEL decides
    when there is one (it is what the register says; the form refuses a choice contradicting it);
    an explicit choice comes before the dictionary, which only knows what a name usually is.
    Returns "f", "m" or None (nothing tells: the form then asks for the choice).
    """
    return (gender_from_pesel(pesel) or (chosen if chosen in ("f", "m") else None)
            or (gender_from_first_name(name) if name else None))


SEX_CHOICES = (("f", "kobieta"), ("m", "mężczyzna"))
_SEX_LABEL = dict(SEX_CHOICES)


def pesel_problem(name: str | None, pesel: str | None, chosen: str | None, can_choose: bool = True) -> str | None:
    """The Polish message for a person's PESEL field when its sex digit contradicts the first name.

    A valid PESEL of a woman typed for „Jan Kowalski” (or a man's for „Anna Kowalska”) is most
    often another family member's number copied from the file; printed as it is, the document
    would say „Ja, niżej podpisana Jan Kowalski” next to the wrong number. Only a first name the
    SGJP dictionary knows as one gender's only is compared. The staff member confirms an unusual
    but true combination by choosing in the „Płeć” field the gender the PESEL says
    (`can_choose`: the person has such a field). Returns None when nothing contradicts.
    """
    by_pesel = gender_from_pesel(pesel)
    if not name or not by_pesel or chosen == by_pesel:
        return None
    by_name = gender_from_first_name(name)
    if by_name is None or by_name == by_pesel:
        return None
    first = name.split()[0]
    kind = "żeńskie" if by_name == "f" else "męskie"
    owner = "kobiety" if by_pesel == "f" else "mężczyzny"
    message = (f"Ten numer PESEL jest numerem {owner}, a „{first}” to imię {kind}. "
               "Sprawdź, czy to numer PESEL tej osoby")
    if can_choose:
        return message + f"; jeśli tak, wybierz płeć „{_SEX_LABEL[by_pesel]}”."
    return message + "."


def sex_problem(name: str | None, pesel: str | None, chosen: str | None) -> str | None:
    """The Polish message for a person's „Płeć” field, or None when the person's gender is known.

    Needed when neither the PESEL nor the dictionary tells the gender and nothing was chosen;
    refused when the choice contradicts the PESEL (the PESEL's sex digit is the register's).
    """
    if not name:
        return None
    by_pesel = gender_from_pesel(pesel)
    if by_pesel and chosen in ("f", "m") and chosen != by_pesel:
        return (f"Płeć nie zgadza się z numerem PESEL (według niego: {_SEX_LABEL[by_pesel]}). "
                "Popraw numer PESEL albo wybór płci.")
    if gender_of(name, pesel, chosen) is None:
        first = name.split()[0]
        return (f"Wybierz płeć: nie wynika ona z numeru PESEL ani z imienia „{first}”, a od niej zależy "
                "forma słów w dokumencie (np. „podpisana” albo „podpisany”).")
    return None


# ---------------------------------------------------------------------------- declension

def _latin(text: str) -> bool:
    # Every letter Latin: a Cyrillic or Arabic name is never put through a Polish dictionary.
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in text)


_NAME = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*(?: [^\W\d_]+(?:-[^\W\d_]+)*)+")


def _word_in_case(word: str, role: str, case: str, gender: Gender) -> str | None:
    """One word of a name (a given name, role "imię", or a surname part, "nazwisko") in a case.

    The word must be a nominative singular form of a dictionary lemma of this role and gender;
    the lemmas found must agree on one form for the case, else None (ambiguous or unknown).
    """
    upper = len(word) > 1 and word.isupper()  # KOWALSKA is read, and written back, in capitals
    sgjp_gender = _SEX_GENDER[gender]
    lemmas = set()
    for start, end, (_orth, lemma, tag, qualifiers, _labels) in _analyse(word):
        if (start, end) != (0, 1):
            return None  # the dictionary reads it as several segments: not a plain name
        parsed = _tag(tag)
        if (parsed is not None and _qualified(qualifiers, role) and "sg" in parsed.numbers
                and "nom" in parsed.cases and sgjp_gender in parsed.genders):
            lemmas.add(lemma)
    forms = set()
    for lemma in lemmas:
        nominative, wanted = set(), set()
        for orth, _lemma, tag, qualifiers, _labels in _generate(lemma):
            parsed = _tag(tag)
            if parsed is None or not _qualified(qualifiers, role) or "sg" not in parsed.numbers \
                    or sgjp_gender not in parsed.genders:
                continue
            if "nom" in parsed.cases:
                nominative.add(orth.upper() if upper else orth)
            if case in parsed.cases:
                wanted.add(orth.upper() if upper else orth)
        if word in nominative:  # as written (capitals, Polish letters): "anna" is not "Anna"
            forms |= wanted
    return forms.pop() if len(forms) == 1 else None


@lru_cache(maxsize=4096)
def decline(name: str, case: str, gender: Gender) -> str | None:
    """The whole name in `case` for a person of `gender`, or None when it cannot be done safely.

    Takes a full name as typed („Małgorzata Dąbrowska-Śliwińska”: one or more given names, then
    the surname, whose hyphenated parts are declined each), a case ("nom", "gen", "dat", "acc",
    "inst", "loc") and "f" or "m". Returns e.g. „Małgorzatę Dąbrowską-Śliwińską”; None when a
    word is unknown to the SGJP dictionary (Morfeusz 2 answers `ign`), is known but not as a
    given name or surname of that gender, has two possible forms, or when the name holds anything
    but Latin letters, single spaces and hyphens (apostrophes, initials, Cyrillic...).
    Raises ValueError for an unknown case or gender.
    """
    if case not in CASES or gender not in _SEX_GENDER:
        raise ValueError(f"case {case!r} / gender {gender!r}")
    name = " ".join(name.split())
    if not _NAME.fullmatch(name) or not _latin(name):
        return None
    if case == "nom":
        return name
    words = name.split(" ")
    out = []
    for i, word in enumerate(words):
        role = "nazwisko" if i == len(words) - 1 else "imię"
        parts = []
        for part in word.split("-"):
            form = _word_in_case(part, role, case, gender)
            if form is None:
                return None
            parts.append(form)
        out.append("-".join(parts))
    return " ".join(out)


# ---------------------------------------------------------------------------- template values

Printer = Callable[[str], str]


@dataclass(frozen=True)
class Person:
    """One person as a template sees them: the printed name, the gender, the name in each case.

    `name` is the name as printed (typeset, bidi-isolated); `gender` "f", "m" or None;
    `forms` maps each case to the printed declined name, or None where declension is unsafe.
    """

    name: str
    gender: Gender | None
    forms: dict[str, str | None] = field(default_factory=dict, compare=False)
    given_names: int = 1

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Persons:
    """Several persons acting together (a family consenting): what `agree` reads for the plural."""

    members: tuple[Person, ...]

    def __iter__(self):
        return iter(self.members)

    def __len__(self) -> int:
        return len(self.members)


def make_person(name: str, gender: Gender | None, printer: Printer = lambda text: text) -> Person:
    """A Person for a name as validated; `printer` turns each printed text into what documents print.

    The name in every case is generated here, once per render, so the filters only look it up.
    """
    forms: dict[str, str | None] = {}
    words = name.split()
    for case in CASES:
        # The nominative is the name as typed whatever its letters („Pani Олена Коваленко”,
        # „Pan Seán O'Connor”): only the other cases need the dictionary.
        form = " ".join(words) if case == "nom" else decline(name, case, gender) if gender else None
        forms[case] = printer(form) if form is not None else None
    # „o imionach i nazwisku” only for what reads as several given names and a surname
    given = len(words) - 1 if _NAME.fullmatch(" ".join(words)) else 1
    return Person(name=printer(" ".join(words)), gender=gender, forms=forms, given_names=max(1, given))


def _members(who: Any) -> list[Person]:
    if isinstance(who, Person):
        return [who]
    if isinstance(who, (Persons, list, tuple)):
        return [p for p in who if isinstance(p, Person)]
    raise TypeError(f"agree expects a Person or a group of persons, not {type(who).__name__}")


def named(person: Person, case: str = "nom", honorific: bool = True) -> str:
    """Jinja filter: a person's name in `case`, with „Pani”/„Pan” declined before it.

    `{{ assistant|named('acc') }}` -> „Panią Katarzynę Zielińską” / „Pana Jana Kowalskiego”;
    honorific=False -> „Katarzynę Zielińską”. When the dictionary does not know the name (or the
    name is not in Latin letters) the name stays in the nominative as a label:
    „Panią o imieniu i nazwisku Ołena Kowalenko” (without a known gender: „osobę o imieniu
    i nazwisku …”, „osoba” being grammatically feminine whoever it is). The nominative needs no
    declension: „Pani Ołena Kowalenko”. Returns plain text (escaped by the template).
    Raises ValueError for an unknown case.
    """
    if case not in CASES:
        raise ValueError(f"unknown case {case!r}; one of {', '.join(CASES)}")
    form = person.forms.get(case)
    if form is not None:
        if honorific and person.gender:
            return f"{HONORIFIC[person.gender][case]} {form}"
        return form
    label = LABEL_ONE if person.given_names == 1 else LABEL_MORE
    head = HONORIFIC[person.gender][case] if person.gender else PERSON_NOUN[case]
    return f"{head} {label} {person.name}"


def agree(who: Any, fem: str, masc: str, fem_plural: str | None = None, masc_plural: str | None = None,
          men_plural: str | None = None) -> str:
    """Jinja filter: the word agreeing with a person or group: `{{ persons|agree('podpisana',
    'podpisany', 'podpisane', 'podpisani') }}`.

    One woman -> fem, one man -> masc; several persons -> fem_plural when all are women, else
    masc_plural (Polish grammar: a group with at least one man takes the masculine-personal
    plural, „podpisani”, „zamieszkali”; only a group of women the non-masculine-personal one,
    „podpisane”). `men_plural`, when given, is for a group of men only, where the honorific
    differs from a mixed group's: „Państwo” address a woman and a man together, „Panowie” men
    only (`agree('Pani', 'Pana', 'Pań', 'Państwa', 'Panów')`); verbs need no such form. A person of unknown gender raises ValueError, as does a group
    without the plural forms: the form asks for every acting person's gender, so either is a
    template or validation defect (render_docx reports it as RenderError).
    """
    members = _members(who)
    if len(members) == 1:
        gender = members[0].gender
        if gender is None:
            raise ValueError(f"the gender of {members[0].name!r} is not known")
        return fem if gender == "f" else masc
    if not members:
        raise ValueError("agree with nobody")
    if fem_plural is None or masc_plural is None:
        raise ValueError("agree with several persons needs the plural forms")
    if any(p.gender is None for p in members):
        raise ValueError("the gender of a person of the group is not known")
    if all(p.gender == "f" for p in members):
        return fem_plural
    if men_plural is not None and all(p.gender == "m" for p in members):
        return men_plural
    return masc_plural


def agree_number(who: Any, one: str, several: str) -> str:
    """Jinja filter: the word for one person or for several: `{{ persons|agree_number('wyrażam',
    'wyrażamy') }}` -> „wyrażam” for one, „wyrażamy” for several."""
    return one if len(_members(who)) == 1 else several


FILTERS: dict[str, Callable[..., str]] = {"named": named, "agree": agree, "agree_number": agree_number}


def group_of(people: Iterable[Person]) -> Persons:
    """The Persons of a list of Person."""
    return Persons(tuple(people))
