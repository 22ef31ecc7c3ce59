"""The family's copy on their own phone: /k/<code> opens the signed PDF once (service.signing.family).

Who may use this route: anyone holding a link that is still usable — no staff login; the link is
the only key (50 random bits, valid once and for FAMILY_COPY_MINUTES). The answers show nothing of
the family but the PDF itself: a link that cannot be used gets one page in Polish, Ukrainian and
English (the phone's owner may read any of them) saying only that it cannot be used and that the
assistant can give another copy. A code that names no link is counted per client address like a
wrong signing-link code (accounts.throttle), so guessing is held up as guessing passwords is.
Every delivery and every refusal is logged (security.log_access).
"""
from __future__ import annotations

from flask import Blueprint, current_app, make_response, render_template, request, send_file

from .. import pipeline
from ..accounts import throttle
from ..extensions import db
from ..families.access import family_of_case
from ..issuing import MIMETYPES
from ..security import family_link, log_access, request_actor, request_origin
from . import family
from .models import FamilyCopy
from .sessions import Client

bp = Blueprint("family", __name__)

# (status, heading, text) in each language: pl, uk, en
REFUSALS = {
    "used": (410, {
        "pl": ("Ten link został już użyty",
               "Kopię dokumentu można pobrać tym linkiem tylko jeden raz. Kolejną kopię da Ci asystent rodziny."),
        "uk": ("Це посилання вже використано",
               "Копію документа можна завантажити за цим посиланням лише один раз. Наступну копію дасть "
               "вам асистент сім'ї."),
        "en": ("This link has already been used",
               "The copy of the document can be downloaded with this link only once. Your family assistant "
               "can give you another copy."),
    }),
    "expired": (410, {
        "pl": ("Ten link już wygasł",
               "Link do kopii dokumentu działa tylko przez krótki czas. Kopię da Ci asystent rodziny."),
        "uk": ("Термін дії цього посилання минув",
               "Посилання на копію документа діє лише короткий час. Копію дасть вам асистент сім'ї."),
        "en": ("This link has expired",
               "The link to the copy of the document works only for a short time. Your family assistant "
               "can give you a copy."),
    }),
    "unknown": (404, {
        "pl": ("Nie ma takiego linku",
               "Sprawdź, czy adres został przepisany dokładnie. Kopię dokumentu da Ci też asystent rodziny."),
        "uk": ("Такого посилання немає",
               "Перевірте, чи адресу введено правильно. Копію документа також може дати асистент сім'ї."),
        "en": ("There is no such link",
               "Check that the address was typed exactly. Your family assistant can also give you a copy."),
    }),
}
REFUSALS["throttled"] = (429, {
    "pl": ("Zbyt wiele prób", "Z tej sieci wpisano zbyt wiele błędnych adresów. Spróbuj ponownie za kilka minut."),
    "uk": ("Забагато спроб", "З цієї мережі введено забагато неправильних адрес. Спробуйте ще раз за кілька хвилин."),
    "en": ("Too many attempts", "Too many wrong addresses were typed from this network. Try again in a few minutes."),
})
REFUSALS["revoked"] = (410, {  # a new link was issued, or the signed version was replaced by a scan
    "pl": ("Ten link już nie działa",
           "Link do kopii dokumentu został wyłączony. Kopię da Ci asystent rodziny."),
    "uk": ("Це посилання більше не діє",
           "Посилання на копію документа вимкнено. Копію дасть вам асистент сім'ї."),
    "en": ("This link no longer works",
           "The link to the copy of the document has been switched off. Your family assistant can give you a copy."),
})


def refusal(reason: str, status: int | None = None, headers: dict | None = None):
    """The page of a link that cannot be used, in three languages; `reason` is a key of REFUSALS."""
    code, texts = REFUSALS[reason]
    return make_response(render_template("signing/family_refused.html", texts=texts), status or code, headers or {})


# strict_slashes=False: "/k/ABCDE-FGHJK/" (a slash typed or pasted after the code) opens the same
# link instead of the staff pages' 404, which is not in the family's languages
@bp.route("/k/<code>", methods=["GET", "HEAD"], strict_slashes=False)
@family_link
def copy(code: str):
    """The signed PDF, once: the first GET delivers it and uses the link up; HEAD says whether it
    would (200 with the PDF's type and length, nothing used); any later request gets the refusal."""
    address = request.remote_addr or ""
    try:
        throttle.code_blocked(address)
        found = family.find(code)
        if found is None:
            throttle.code_failed(address)
            log_access("family_copy_refused", "family_copy", "", detail="nieznany kod")
            return refusal("unknown")
    except throttle.Throttled as exc:
        return refusal("throttled", headers=throttle.retry_after(exc.until))
    version = found.signed_document
    path = pipeline(current_app).store.path(version.pdf_sha256, "pdf")
    if request.method == "HEAD":  # looks only: link previews and download managers use nothing up
        reason = family.state(found)
        if reason != "active":
            return refusal(reason)
        response = make_response(b"", 200)
        response.headers.update({"Content-Type": MIMETYPES["pdf"], "Accept-Ranges": "none"})
        response.content_length = path.stat().st_size
        return response
    if not family.use(found, Client.of(request_actor(), request_origin())):
        reason = family.state(found_again(found))
        log_access("family_copy_refused", "family_copy", str(found.id), detail=reason)
        return refusal(reason if reason != "active" else "used")
    log_access("download", "signed_document", version.id, detail=f"kopia dla rodziny, link {found.id}",
               family_id=family_of_case(version.document.case_id))
    # the whole file whatever Range asked for (RFC 9110, 14.2): one delivery is one use
    response = send_file(path, mimetype=MIMETYPES["pdf"], download_name="dokument-podpisany.pdf",
                         conditional=False, etag=False)
    response.headers["Accept-Ranges"] = "none"
    return response


def found_again(copy: FamilyCopy) -> FamilyCopy:
    """The link's row as stored now (another request may have used it a moment ago)."""
    db.session.refresh(copy)
    return copy
