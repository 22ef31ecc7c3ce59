"""The staff roles, declared once: document types name them as objects, so a typo fails at import.

Role is a str enum: `Role.HEAD == "head"`, and a role is stored in the database (users.role) and
sent in JSON as its plain code, unchanged. accounts.models.ROLES (code -> Polish label) is derived
from it. This module imports nothing of the service, so every layer may use it.
"""
from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A staff role: its code (the stored value) and its Polish name (`label`)."""

    label: str

    def __new__(cls, code: str, label: str) -> "Role":
        member = str.__new__(cls, code)
        member._value_ = code
        member.label = label
        return member

    ASSISTANT = ("assistant", "asystent rodziny")
    SOCIAL_WORKER = ("social_worker", "pracownik socjalny")
    COORDINATOR = ("coordinator", "koordynator asystentów rodziny")
    HEAD = ("head", "kierownik ośrodka")
    ARCHIVIST = ("archivist", "archiwista")
    DPO = ("dpo", "inspektor ochrony danych")
    ADMIN = ("admin", "administrator")
