"""Asysta: documents and e-forms of the family assistant's work. `flask --app service ...`"""
from __future__ import annotations

import os
import secrets
import signal
import sys
import threading
from pathlib import Path

import click
from flask import Flask, current_app, request
from flask.helpers import get_debug_flag
from flask.json.provider import DefaultJSONProvider
from werkzeug.serving import is_running_from_reloader

from . import headers, transport
from .config import ROOT, defaults
from .extensions import babel, csrf, db, login, migrate
from .private_files import make_private, private_umask


def create_app(test_config: dict | None = None) -> Flask:
    """The application: configuration, extensions, blueprints, CLI commands."""
    private_umask()  # before anything is written: the instance's files are the service user's alone
    instance = Path(os.environ.get("ASYSTA_INSTANCE_DIR") or ROOT / "instance")
    app = Flask(__name__, instance_path=str(instance.resolve()), static_folder=str(ROOT / "static"))
    app.config.from_mapping(defaults(Path(app.instance_path)))
    if test_config:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    make_private(Path(app.instance_path), app.config)
    transport.install(app)
    refuse_weak_admin_password(app)

    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_pages(app)
    if app.config["AUTO_MIGRATE"]:
        bootstrap(app)
    if _flask_run():
        serve(app)  # gunicorn workers are made serving by service/gunicorn_conf.py
    return app


def refuse_weak_admin_password(app: Flask) -> None:
    """ASYSTA_ADMIN_PASSWORD, when set, must pass the password policy (accounts/passwords.py), or
    the service does not start: raises ConfigurationError naming the variable and the reason.

    Checked at every start, not only the first (when it is used): a weak value left in the
    environment would otherwise become the administrator's password after a fresh database.
    """
    from .accounts.passwords import password_problems
    from .config import ConfigurationError

    password = app.config["ADMIN_PASSWORD"]
    if password:
        problems = password_problems(password, ["admin", "Administrator"])
        if problems:
            raise ConfigurationError(
                f"ASYSTA_ADMIN_PASSWORD jest za słabe: {' '.join(problems)} Usługa nie wystartuje – "
                "ustaw mocniejsze hasło albo usuń tę zmienną (wtedy przy pierwszym uruchomieniu powstanie "
                "hasło jednorazowe).")


def _flask_run() -> bool:
    # The process that `flask run` serves from: the `run` command is loading us, and this is not
    # the reloader's watching parent (which only restarts the serving child). Any other command
    # (`flask users token`, `flask shell`, …) sets FLASK_RUN_FROM_CLI too, so that says nothing.
    ctx = click.get_current_context(silent=True)
    if ctx is None or ctx.info_name != "run" or ctx.parent is None:
        return False
    reload = ctx.params.get("reload")
    reload = get_debug_flag() if reload is None else reload
    return not reload or is_running_from_reloader()


def serve(app: Flask) -> None:
    """Makes this process the one serving `app` (called by `flask run` and each gunicorn worker).

    Only a serving process runs converters on the configured CONVERTER_PROFILE_DIR (any other
    process that converts — a CLI command, a script — gets a temporary folder of its own); they
    start now, in the background, as LibreOffice needs ~5 s before its first conversion. SIGTERM
    and SIGHUP, which would otherwise end the process without its exit handlers, end it through
    SystemExit, so the exit handlers stop LibreOffice; the converters also end on their own if
    this process is killed (see converter.py). Raises nothing.
    """
    app.extensions["asysta.serving"] = True
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(signum) == signal.SIG_DFL:  # gunicorn's own handlers stay
                signal.signal(signum, _exit_on_signal)
    if app.config["CONVERTER_AUTOSTART"]:
        threading.Thread(target=lambda: converter_pool(app), daemon=True, name="lo-autostart").start()


def _exit_on_signal(signum, frame) -> None:
    signal.signal(signum, signal.SIG_DFL)  # a second signal ends the process at once
    sys.exit(0)


class _JSONProvider(DefaultJSONProvider):
    """Flask's JSON, with request bodies read by documents.json_input.parse_json: a body nested too
    deep is then invalid JSON (request.get_json(silent=True) gives None), not a RecursionError."""

    def loads(self, s: str | bytes, **kwargs):
        from .documents.json_input import parse_json
        return parse_json(s)


def register_extensions(app: Flask) -> None:
    """Binds the extensions created in extensions.py."""
    app.json = _JSONProvider(app)
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True)
    from .i18n import TRANSLATIONS, compile_catalogues
    from .signing.language import current as signing_language  # the family's device pages only; staff: pl
    compile_catalogues()  # .mo files are generated: made here when missing or older than their .po
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    babel.init_app(app, locale_selector=signing_language)
    csrf.init_app(app)
    login.init_app(app)
    login.login_view = "accounts.login"
    login.login_message = "Zaloguj się, aby kontynuować."

    from .accounts.models import User, token_digest
    from .accounts.sessions import user_for_request

    @login.user_loader
    def load_user(user_id: str):
        # The API is exempt from CSRF, so it must never accept the session cookie: a page on
        # another site could otherwise make a logged-in browser issue documents. Token only.
        if request.path.startswith("/api/"):
            return None
        return user_for_request(user_id)  # only while its server-side staff session lives

    @login.request_loader
    def load_user_from_token(req):
        # And the pages never accept a token: a static secret would be a session there with no
        # idle timeout, lifetime, logout or required password change (ASVS 4.0.3 3.5.2).
        if not req.path.startswith("/api/"):
            return None
        header = req.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        token = header.removeprefix("Bearer ").strip()
        user = db.session.execute(
            db.select(User).where(User.api_token_digest == token_digest(token))).scalar_one_or_none()
        return user if user and user.active else None

    @app.context_processor
    def inject_globals():
        from .forms_base import error_summary
        from .security import READERS
        from .web.access_log import LOG_ROLES
        from .web.families_views import FAMILY_ROLES
        return {"development_seal": _is_development_seal(app), "archive_readers": READERS,
                "log_readers": LOG_ROLES, "family_roles": FAMILY_ROLES, "error_summary": error_summary}

    headers.init_app(app)  # CSP, no-store, HSTS… on every response


def register_blueprints(app: Flask) -> None:
    """The web pages, the JSON API, and the role check in front of all of them."""
    from .accounts.admin_views import bp as staff_bp
    from .accounts.views import bp as accounts_bp
    from .api.views import bp as api_bp
    from .archive.views import bp as archive_bp
    from .office.views import bp as office_bp
    from .security import enforce_roles, refuse_control_characters
    from .signing.device_views import bp as device_bp
    from .signing.family_views import bp as family_bp
    from .signing.staff_views import bp as signing_bp
    from .web.access_log import bp as access_log_bp
    from .web.deadlines_views import bp as deadlines_bp
    from .web.family_changes_views import bp as family_changes_bp
    from .web.families_views import bp as families_bp
    from .web.views import bp as web_bp

    app.before_request(refuse_control_characters)
    app.before_request(enforce_roles)
    for bp in (accounts_bp, staff_bp, web_bp, families_bp, family_changes_bp, access_log_bp, deadlines_bp, archive_bp,
               office_bp,
               signing_bp, device_bp, family_bp, api_bp):
        app.register_blueprint(bp)
    csrf.exempt(api_bp)  # the API authenticates every request by its token, not by a cookie


ERRORS = {
    400: ("Błędne żądanie", "Formularz wygasł lub jest niekompletny. Wróć i spróbuj ponownie."),
    403: ("Brak dostępu", "Twoja rola nie pozwala otworzyć tej strony."),
    404: ("Nie znaleziono", "Nie ma takiej strony albo nie masz do niej dostępu."),
    413: ("Plik jest za duży", "Największy dopuszczalny plik ma 20 MB."),
    500: ("Błąd serwera", "Coś poszło nie tak. Nic nie zostało zapisane – spróbuj ponownie."),
}


def register_pages(app: Flask) -> None:
    """Polish error pages and the date filter of the pages."""
    from babel.dates import format_datetime
    from flask import jsonify, render_template

    @app.template_filter("date_pl")
    def date_pl(value):
        # Stored dates are ISO text; people read "24 listopada 2026 r."
        from .documents.context import polish_date
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return polish_date(value)
            except ValueError:
                return value
        return value

    @app.template_filter("datetime_pl")
    def datetime_pl(value):
        return format_datetime(value, "d MMMM y, HH:mm", tzinfo="Europe/Warsaw", locale="pl_PL")

    @app.template_filter("signed_how")
    def signed_how(version):
        # „na papierze”, „hasłem pracownika”, „odręcznie na tablecie”: by how it was signed
        from .signing.paper import signed_how as how
        return how(version)

    @app.template_filter("signer_role")
    def signer_role(step):
        # A planned signer's role as the document names it: the head by the office's title
        from .office.models import get_profile
        from .signing.plan import titled_role
        return titled_role(step, get_profile().head_title)

    @app.template_filter("time_local")
    def time_local(value):
        # "18:44", office time: read the same in every language of the signing page
        return format_datetime(value, "HH:mm", tzinfo="Europe/Warsaw", locale="pl_PL")

    def handler(code: int):
        def handle(exc):
            title, message = ERRORS[code]
            if request.blueprint == "api" or request.path.startswith("/api/"):
                return jsonify(error=f"{title}. {message}"), code
            return render_template("error.html", title=title, message=message), code
        return handle

    for code in ERRORS:
        app.register_error_handler(code, handler(code))

    from .uploads import UploadsBusy

    @app.errorhandler(UploadsBusy)
    def uploads_busy(exc: UploadsBusy):
        # The pages that take uploads answer this at the file's field; this is the fallback
        headers = {"Retry-After": str(exc.retry_after)}
        if request.blueprint == "api" or request.path.startswith("/api/"):
            return jsonify(error=str(exc)), 503, headers
        return render_template("error.html", title="Serwer jest zajęty", message=str(exc)), 503, headers


def register_cli(app: Flask) -> None:
    """flask users …, flask documents …, flask families …"""
    from .accounts.cli import users_cli
    from .archive.cli import documents_cli
    from .families.cli import families_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(documents_cli)
    app.cli.add_command(families_cli)


def bootstrap(app: Flask) -> None:
    """First start: migrate the database, create the office profile and the first administrator."""
    from flask_migrate import upgrade

    from .accounts.models import User
    from .office.models import get_profile

    with app.app_context():
        upgrade()
        get_profile()
        if db.session.execute(db.select(User).limit(1)).first() is None:
            password = app.config["ADMIN_PASSWORD"] or secrets.token_urlsafe(12)
            admin = User(login="admin", full_name="Administrator", role="admin",
                         must_change_password=not app.config["ADMIN_PASSWORD"])
            admin.set_password(password)
            db.session.add(admin)
            db.session.commit()
            if not app.config["ADMIN_PASSWORD"]:
                print(f"\n*** Pierwsze uruchomienie: konto administratora 'admin', jednorazowe hasło: "
                      f"{password}\n*** Po zalogowaniu trzeba je zmienić.\n", file=sys.stderr, flush=True)


_lock = threading.Lock()
DEV_SEAL_NAME = "Asysta"  # devseal adds that it is a test seal (CN, OU)


def converter_pool(app: Flask):
    """The LibreOffice pool of this process (one per profile directory), started on first use.

    On the configured profile folders only in the serving process (see serve()) or a test app,
    whose configuration points at the test's own folders; elsewhere on a temporary folder that
    is removed when the process ends.
    """
    from .documents.convert import shared_pool

    owner = app.extensions.get("asysta.serving", False) or app.testing
    return shared_pool(app.config["CONVERTERS"], Path(app.config["CONVERTER_PROFILE_DIR"]),
                       private=not owner, timeout=app.config["CONVERSION_TIMEOUT"],
                       max_queue=app.config["CONVERTER_QUEUE"], max_wait=app.config["CONVERTER_WAIT"])


def office_seal(app: Flask):
    """The office seal: the configured PKCS#12, or a generated development seal."""
    from signatures.devseal import create_dev_seal
    from signatures.seal import OfficeSeal

    with _lock:
        seal = app.extensions.get("asysta.seal")
        if seal is None:
            if app.config["SEAL_P12"]:
                seal = OfficeSeal.load(Path(app.config["SEAL_P12"]), app.config["SEAL_PASSPHRASE"] or "")
            else:
                # Not the office's name: the profile may still be empty, and this seal is no office's.
                p12, passphrase = create_dev_seal(Path(app.config["DEV_SEAL_DIR"]), DEV_SEAL_NAME)
                seal = OfficeSeal.load(p12, passphrase)
            app.extensions["asysta.seal"] = seal
    return seal


def _is_development_seal(app: Flask) -> bool:
    return not app.config["SEAL_P12"]


def pipeline(app: Flask | None = None):
    """The issuing pipeline of this app (converter pool, seal, archive store), built once."""
    from .archive.store import ArchiveStore
    from .documents.issue import Pipeline

    app = app or current_app._get_current_object()
    pipe = app.extensions.get("asysta.pipeline")
    if pipe is None:
        pipe = Pipeline(converter=converter_pool(app), sealer=office_seal(app),
                        store=ArchiveStore(Path(app.config["ARCHIVE_DIR"])))
        app.extensions["asysta.pipeline"] = pipe
    return pipe
