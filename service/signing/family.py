"""The family's copy: a one-time, short-lived link (/k/<code>, also as a QR code) to a signed version.

The code is 10 characters of sessions.CODE_ALPHABET (32 letters and digits that cannot be mistaken
for each other): 50 bits, short enough to type from paper. Only its SHA-256 finds it; the code is
kept encrypted (its own HKDF purpose) only while the link may still be used, so the tablet's end
page, the staff page and the API can show it again. A link is valid for FAMILY_COPY_MINUTES
(ASYSTA_FAMILY_COPY_MINUTES) and opens the PDF once: the first GET that delivers the file uses it
up (one conditional UPDATE, so of two phones at once exactly one gets it). HEAD only looks and
uses nothing; a Range request is answered with the whole file (RFC 9110, 14.2: a server may ignore
Range) and uses the link like any GET. Issuing a new link revokes the document's earlier ones.
Times are the app's clock (accounts.models.now), so tests move time with the `clock` fixture.
"""
from __future__ import annotations

import datetime as dt
import secrets

from cryptography.fernet import InvalidToken
from flask import current_app, url_for
from sqlalchemy import select, update

from ..accounts.models import User, now
from ..archive.models import DocumentRecord
from ..documents.registry import DOCUMENT_TYPES
from ..extensions import db
from .models import FamilyCopy, SignedDocument, SigningSession, as_utc
from .sessions import CODE_ALPHABET, Client, _code_box, normalize_code, record, sha256_text

CODE_LENGTH = 10  # 32 ** 10 = 2 ** 50 codes
_PURPOSE = b"asysta: family copy links"


def _box():
    return _code_box(_PURPOSE)


def format_code(code: str) -> str:
    """'ABCDEFGHJK' -> 'ABCDE-FGHJK': read aloud and typed more easily."""
    return f"{code[:5]}-{code[5:]}"


NOT_FOR_FAMILY = ("Tego dokumentu nie podpisuje nikt z rodziny (to dokument wewnętrzny ośrodka), "
                  "więc nie wydaje się go rodzinie jako jej kopii.")


def for_family(slug: str) -> bool:
    """Whether the family gets its copy of a document of this type: a family member signs it (a
    `family` slot among the type's signers). Internal documents (the assistant's request, the
    monthly reports, the time report) are signed by staff alone and stay in the office."""
    doctype = DOCUMENT_TYPES.get(slug)
    return doctype is not None and any(slot.signer == "family" for slot in doctype.signers)


def link_for(code: str) -> str:
    """The absolute link of a code (built from ASYSTA_PUBLIC_URL when set, as every external link)."""
    return url_for("family.copy", code=code, _external=True)


def issue(version: SignedDocument, *, user: User | None, client: Client,
          minutes: float | None = None) -> FamilyCopy:
    """Adds a new one-time link to `version`, or to the version that replaces it if a scan has
    replaced it meanwhile (not committed: the caller's transaction holds it).

    Every earlier link of the same document that could still be used is revoked in the same
    transaction. `user` is the staff member who asked for it, None when the tablet issued it after
    the last signature. `minutes` defaults to the FAMILY_COPY_MINUTES setting. The event is added to
    the trail of the version's signing session, if it has one. Returns the new row."""
    moment = now()
    minutes = current_app.config["FAMILY_COPY_MINUTES"] if minutes is None else minutes
    # Two issues at the same moment must not both leave their link usable. PostgreSQL: the
    # document's row lock makes them take turns, so the later revoke sees the earlier link (without
    # it, READ COMMITTED lets each UPDATE miss the other's new row). SQLite: the revoke's UPDATE
    # takes the database's write lock, which does the same.
    db.session.execute(select(DocumentRecord.id).where(DocumentRecord.id == version.document_id).with_for_update())
    # A scan may have replaced `version` since the caller read it (its replacement revoked the
    # links then): the link opens the version in force, never a replaced one.
    while (newer := db.session.execute(select(SignedDocument).where(
            SignedDocument.replaces_id == version.id)).scalars().first()) is not None:
        version = newer
    revoke(version.document_id, moment)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    copy = FamilyCopy(signed_document_id=version.id, code_sha256=sha256_text(code),
                      code_sealed=_box().encrypt(code.encode("ascii")).decode("ascii"),
                      created_at=moment, expires_at=moment + dt.timedelta(minutes=minutes),
                      created_by_id=user.id if user else None, used_ip="")
    db.session.add(copy)
    if version.session_id:
        session = db.session.get(SigningSession, version.session_id)
        who = f" ({user.full_name})" if user else ""
        record(session, "family_copy_issued", client, f"link ważny {minutes:g} min{who}")
    return copy


def revoke(document_id: str, moment: dt.datetime | None = None) -> None:
    """Revokes every unused link to any signed version of the document (in the open transaction)."""
    versions = select(SignedDocument.id).where(SignedDocument.document_id == document_id)
    table = FamilyCopy.__table__
    db.session.execute(update(table).where(
        table.c.signed_document_id.in_(versions.scalar_subquery()), table.c.used_at.is_(None),
        table.c.revoked_at.is_(None)).values(revoked_at=moment or now(), code_sealed=None))


def state(copy: FamilyCopy, moment: dt.datetime | None = None) -> str:
    """'active', 'used', 'revoked' or 'expired'."""
    if copy.used_at is not None:
        return "used"
    if copy.revoked_at is not None:
        return "revoked"
    if as_utc(copy.expires_at) <= (moment or now()):
        return "expired"
    return "active"


def code_of(copy: FamilyCopy) -> str | None:
    """The code of a link that may still be used ('ABCDEFGHJK'), None otherwise (also when the
    app's secret key has changed since it was issued)."""
    if state(copy) != "active" or not copy.code_sealed:
        return None
    try:
        return _box().decrypt(copy.code_sealed.encode("ascii")).decode("ascii")
    except InvalidToken:
        return None


def active_for(doc: DocumentRecord) -> FamilyCopy | None:
    """The document's link that may still be used, if any (there is at most one)."""
    versions = select(SignedDocument.id).where(SignedDocument.document_id == doc.id)
    copies = db.session.execute(select(FamilyCopy).where(
        FamilyCopy.signed_document_id.in_(versions.scalar_subquery()), FamilyCopy.used_at.is_(None),
        FamilyCopy.revoked_at.is_(None)).order_by(FamilyCopy.id.desc())).scalars()
    return next((c for c in copies if state(c) == "active"), None)


def active_of_session(session: SigningSession) -> FamilyCopy | None:
    """The link issued for the signed version a tablet session produced, while it may be used."""
    version = db.session.execute(select(SignedDocument).where(
        SignedDocument.session_id == session.id)).scalar_one_or_none()
    return active_for(version.document) if version is not None else None


def as_json(copy: FamilyCopy | None) -> dict | None:
    """What the API says of a usable link: its absolute address, the code as printed, its expiry
    (ISO 8601, UTC) and the signed version it opens; None when there is no usable link."""
    code = code_of(copy) if copy is not None else None
    if code is None:
        return None
    return {"link": link_for(code), "code": format_code(code),
            "expires_at": as_utc(copy.expires_at).isoformat(), "signed_document": copy.signed_document_id}


def find(code: str) -> FamilyCopy | None:
    """The link of a code as typed or scanned (any case, with or without the dash), or None."""
    code = normalize_code(code)
    if len(code) != CODE_LENGTH:
        return None
    return db.session.execute(select(FamilyCopy).where(
        FamilyCopy.code_sha256 == sha256_text(code))).scalar_one_or_none()


def use(copy: FamilyCopy, client: Client) -> bool:
    """Uses the link up if it is still active; True for exactly one caller (commits either way).

    One conditional UPDATE: atomic on SQLite and PostgreSQL, so two phones opening it at the same
    moment cannot both get the file (OWASP ASVS 4.0.3, 11.1.6)."""
    moment = now()
    table = FamilyCopy.__table__
    used = db.session.execute(update(table).where(
        table.c.id == copy.id, table.c.used_at.is_(None), table.c.revoked_at.is_(None),
        table.c.expires_at > moment).values(used_at=moment, used_ip=client.ip[:64], code_sealed=None)).rowcount == 1
    db.session.commit()
    return used
