"""The forms of signing: one step on the signing page, leaving the locked device, attaching a scan."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, IntegerField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from ..forms_base import FlaskTextForm, text_filters

# The signing step's forms speak the family's language (service/signing/language.py): their texts
# are lazy, translated when the page is rendered. The statement is gender-neutral in every language
# (a noun, not a past-tense verb whose ending depends on who signs), so it needs no slash form.
READ_LABEL = _l("Potwierdzam zapoznanie się z treścią dokumentu.")
READ_REQUIRED = _l("Zaznacz potwierdzenie zapoznania się z treścią dokumentu – bez tego nie można podpisać.")


class SignStepForm(FlaskTextForm):
    """One signer's step: confirm reading, draw the signature, press «Podpisz»."""

    position = IntegerField(validators=[InputRequired()])
    read_confirmed = BooleanField(READ_LABEL, validators=[DataRequired(READ_REQUIRED)])
    # The PNG of the canvas (data URL) and signature_pad's toData() as JSON, filled in by the page.
    signature = HiddenField(validators=[Length(max=1_500_000)])
    strokes = HiddenField(validators=[Length(max=600_000)])
    pixel_ratio = HiddenField(default="1")


class StaffStepForm(SignStepForm):
    """A staff member's step: the same, confirmed with their login and password (drawing is optional)."""

    login = StringField(_l("Login pracownika"), validators=[DataRequired(_l("Podaj swój login.")), Length(max=80)])
    password = PasswordField(_l("Hasło"), validators=[DataRequired(_l("Podaj swoje hasło."))])


class OwnStaffStepForm(FlaskTextForm):
    """A staff step signed from the staff member's own logged-in session (staff_views.own_step):
    reading confirmed and the password of the account logged in (its login is not typed again)."""

    position = HiddenField(validators=[InputRequired()])
    read_confirmed = BooleanField(READ_LABEL, validators=[DataRequired(READ_REQUIRED)])
    password = PasswordField("Twoje hasło", validators=[DataRequired("Podaj swoje hasło – nim potwierdzasz podpis.")])


class LeaveForm(FlaskTextForm):
    """The staff member takes the device back: their password unlocks it."""

    password = PasswordField("Hasło pracownika", validators=[DataRequired("Podaj swoje hasło.")])


class CodeForm(FlaskTextForm):
    """Typing the short code of a link on the tablet."""

    code = StringField(_l("Kod z ekranu pracownika"), validators=[
        DataRequired(_l("Wpisz kod, np. ABCD-2345.")),
        Regexp(r"^\s*[A-Za-z0-9]{4}[-\s]?[A-Za-z0-9]{4}\s*$", message=_l("Kod ma 8 znaków, np. ABCD-2345."))],
        filters=text_filters("identifier"))


class ScanForm(FlaskTextForm):
    """The scan of a document signed on paper; the document is found from its QR code or chosen by hand."""

    file = FileField("Skan podpisanego dokumentu (PDF, JPEG, PNG lub TIFF)",
                     [FileRequired("Wybierz plik ze skanem.")],
                     description="Wszystkie strony w jednym pliku, w rozdzielczości co najmniej 200 dpi – "
                                 "wtedy kod QR z wydruku wskaże dokument sam.")
    document_id = StringField("Identyfikator dokumentu (gdy skan nie ma czytelnego kodu QR)",
                              validators=[Optional(), Regexp(r"^\s*[0-9a-fA-F]{32}\s*$",
                                          message="Identyfikator ma 32 znaki (cyfry i litery a–f).")],
                              filters=text_filters("identifier"))


class ConfirmScanForm(FlaskTextForm):
    """Confirming a checked scan; replacing a signed version needs a reason (the view requires it then)."""

    # The signed version in force when the page was shown: a change meanwhile is not overridden blindly
    replaces = HiddenField()
    reason = TextAreaField("Powód zastąpienia podpisanej wersji",
                           validators=[Optional(), Length(max=500, message="Powód może mieć najwyżej 500 znaków.")],
                           description="Np. „w poprzednim skanie brakowało strony 2” – powód pojawi się na karcie "
                                       "dowodowej nowej wersji i przy wersji zastąpionej.")
