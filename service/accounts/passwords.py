"""One password policy for every place a password is set, and the check of a login typed by someone.

The policy (OWASP ASVS 4.0.3 V2.1): at least 12 characters (2.1.1), at most 128 (2.1.2: 64 and
more are allowed), any character (2.1.4), no composition rules (2.1.9), and no password that is
common, repetitive, a sequence, a keyboard row, a date or the person's own login or name (2.1.7):
the strength estimate of zxcvbn (Dropbox's, maintained as the `zxcvbn` package), whose lists hold
the most common passwords of breaches, must reach score 3 (about 10^8 guesses). It applies on the
password page, in `flask users create` / `flask users password`, and to ASYSTA_ADMIN_PASSWORD.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from zxcvbn import zxcvbn

from .models import User, _hasher

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_SCORE = 3  # zxcvbn: 3 = "safely unguessable: moderate protection from offline slow-hash scenario"

# Why zxcvbn finds a password easy, read from the longest part it recognised (its `pattern`, and
# for a dictionary word the list it came from); zxcvbn's own messages are English only.
_REASONS = {
    "repeat": "powtarza te same znaki lub ten sam fragment",
    "sequence": "to ciąg kolejnych znaków (np. abcd, 4321)",
    "spatial": "to układ sąsiednich klawiszy (np. qwerty)",
    "date": "to data",
    "regex": "to rok lub data",
    "passwords": "to jedno z najczęściej używanych haseł albo jego przeróbka",
    "user_inputs": "zawiera login, imię lub nazwisko albo nazwę usługi",
    "surnames": "to imię lub nazwisko",
    "male_names": "to imię lub nazwisko",
    "female_names": "to imię lub nazwisko",
    "english_wikipedia": "to pospolite słowo",
    "us_tv_and_film": "to pospolite słowo",
}
_GENERIC = "jest zbyt przewidywalne"


def password_problems(password: str, user_inputs: Iterable[str] = ()) -> list[str]:
    """What is wrong with a new password, as Polish messages for its field (empty when it is good).

    `user_inputs`: the person's login, name and the like, which the password must not be built on.
    Takes about 1 ms for a typical password, up to ~150 ms at MAX_LENGTH. Raises nothing.
    """
    if len(password) < MIN_LENGTH:
        return [f"Hasło musi mieć co najmniej {MIN_LENGTH} znaków."]
    if len(password) > MAX_LENGTH:
        return [f"Hasło może mieć najwyżej {MAX_LENGTH} znaków."]
    inputs = [word for value in user_inputs if value for word in [value, *value.split()]] + ["asysta"]
    result = zxcvbn(password, user_inputs=inputs, max_length=MAX_LENGTH)
    if result["score"] >= MIN_SCORE:
        return []
    longest = max(result["sequence"], key=lambda match: len(match["token"]), default=None)
    reason = _GENERIC
    if longest is not None:
        key = longest["dictionary_name"] if longest["pattern"] == "dictionary" else longest["pattern"]
        reason = _REASONS.get(key, _GENERIC)
    return [f"To hasło łatwo odgadnąć: {reason}. Wybierz dłuższe, np. kilka niezwiązanych ze sobą słów."]


class PasswordPolicy:
    """WTForms validator: the field's value must pass password_problems.

    `inputs(form)` returns the words the password must not be built on (login, name); by default
    none besides the service's name.
    """

    def __init__(self, inputs=None) -> None:
        self.inputs = inputs

    def __call__(self, form: Any, field: Any) -> None:
        from wtforms.validators import ValidationError

        problems = password_problems(field.data or "", self.inputs(form) if self.inputs else ())
        if problems:
            raise ValidationError(problems[0])


_dummy_hash: str | None = None


def _dummy() -> str:
    # An argon2 hash with the current parameters of a password nobody knows, made once per process.
    global _dummy_hash
    if _dummy_hash is None:
        import secrets
        _dummy_hash = _hasher.hash(secrets.token_urlsafe(32))
    return _dummy_hash


def verify_login(user: User | None, password: str) -> bool:
    """Whether `user` exists, is active and `password` is theirs; always one argon2 verification.

    For an unknown login a dummy hash is verified, so the answer takes as long as for a known one
    and its timing does not tell which accounts exist (ASVS 2.2.1 / V3 enumeration). The password
    of an inactive account is verified too, for the same reason. Rehashes a known user's hash when
    argon2's parameters changed (the caller commits). Raises nothing.
    """
    if user is None:
        try:
            _hasher.verify(_dummy(), password)
        except Exception:  # noqa: BLE001 - always a mismatch; only the time spent matters
            pass
        return False
    return user.check_password(password) and user.active
