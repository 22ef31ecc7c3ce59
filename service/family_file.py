"""What the family's page shows of the documents: the timeline of the family's case with each
document's signing state, and the document types the staff member may issue for the family.

An application service over families/, the archive and signing (it reads the signing state through
signing.paper.current_version and signing.sessions, the helpers the document page uses), so the
pages and any other reader share one wording. No request state.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .accounts.models import User
from .archive.models import DocumentRecord
from .documents.context import polish_date
from .documents.registry import DOCUMENT_TYPES
from .documents.spec import DocumentType
from .families.lifecycle import offered
from .families.models import Family
from .families.plans import revisions
from .issuing import applies_to
from .signing.paper import current_version, signed_how
from .signing.sessions import open_sessions, plan_for


@dataclass(frozen=True)
class TimelineEntry:
    """One document of the family's case: its id, title, when, who issued it, its signing state
    ("signed_paper", "signed_tablet", "signing", "waiting" or "none") and that state in Polish;
    for a document that a newer one of its type replaces (a revised work plan: DocumentType.revises)
    `revision` says „obowiązujący” or „zastąpiony planem z 3 grudnia 2026 r.”, else ""."""

    id: str
    title: str
    created_at: dt.datetime
    author: str
    state: str
    state_label: str
    revision: str = ""
    current: bool = False


STATE_LABELS = {
    "signed_paper": "podpisany na papierze",
    "signed_tablet": "podpisany na tablecie",  # the kind only: the timeline says how (_state_label)
    "signing": "podpisywanie w toku",
    "waiting": "czeka na podpis",
    "none": "nie wymaga podpisu",
}


def signing_state(doc: DocumentRecord) -> str:
    """A document's signing state (a key of STATE_LABELS): the signed version in force decides;
    without one, an open signing session; without one, whether the document has signers at all."""
    version = current_version(doc)
    if version is not None:
        return "signed_paper" if version.kind == "paper" else "signed_tablet"
    if not plan_for(doc):
        return "none"
    return "signing" if open_sessions(doc) else "waiting"


def timeline(family: Family) -> list[TimelineEntry]:
    """Every document filed in the family's case, newest first."""
    docs = sorted(family.case.documents, key=lambda d: d.created_at, reverse=True)
    chain = revisions(docs, DOCUMENT_TYPES)
    out = []
    for doc in docs:
        state = signing_state(doc)
        rev = chain.get(doc.id)
        out.append(TimelineEntry(id=doc.id, title=doc.title, created_at=doc.created_at,
                                 author=doc.author.full_name if doc.author else "", state=state,
                                 state_label=_state_label(doc, state), revision=_revision_label(rev),
                                 current=bool(rev and rev.current)))
    return out


def _state_label(doc: DocumentRecord, state: str) -> str:
    """The state in Polish; signed on the service, by how (signing.paper.signed_how): a staff
    member's password is not „podpisany na tablecie”."""
    if state == "signed_tablet":
        return f"podpisany {signed_how(current_version(doc))}"
    return STATE_LABELS[state]


def _revision_label(rev) -> str:
    if rev is None:
        return ""
    if rev.current:
        return "obowiązujący"
    doctype = DOCUMENT_TYPES.get(rev.by.slug)
    day = (rev.by.data or {}).get(doctype.date_field or "") if doctype else None
    return f"zastąpiony planem z {polish_date(day or rev.by.created_at.date())}"


def issuable_types(user: User, family: Family) -> list[DocumentType]:
    """The document types that apply to the family's support (issuing.applies_to), that the
    user's role may issue (DocumentType.issued_by) and that the file allows now (a monitoring note
    only while the family is monitored: families.lifecycle.offered), in the catalogue's order."""
    return [t for t in DOCUMENT_TYPES if user.role in t.issued_by and applies_to(t, family) and offered(t, family)]


def issuable_type(user: User, family: Family, slug: str) -> DocumentType | None:
    """The type with this slug if the user may issue it for this family, else None."""
    return next((t for t in issuable_types(user, family) if t.slug == slug), None)
