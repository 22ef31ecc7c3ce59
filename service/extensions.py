"""Flask extensions, created unbound here and bound to the app in create_app; SQLite's settings."""
import sqlite3
from pathlib import Path

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine

# Named constraints, so Alembic migrations work the same on SQLite and PostgreSQL.
metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

db = SQLAlchemy(metadata=metadata)
migrate = Migrate(directory=str(Path(__file__).parent / "migrations"))
babel = Babel()
csrf = CSRFProtect()
login = LoginManager()


# SQLite with many staff at once (every SQLite connection of the process; PostgreSQL is untouched):
# - WAL journal (https://sqlite.org/wal.html): readers never block the writer nor it them, so a
#   page view never waits for an issue being stored. The mode is kept in the database file.
# - busy_timeout 30 s: a writer waits for the one before it instead of failing at once with
#   "database is locked". Write transactions are a few milliseconds (documents/issue.py,
#   signing/steps.py), so the wait is short; 30 s covers a burst of a whole office.
# - synchronous stays FULL (the default): a document answered with 201 survives a power cut; in WAL
#   mode that costs one fsync per commit, about a millisecond.
SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA busy_timeout=30000")


@event.listens_for(Engine, "connect")
def _sqlite_for_concurrent_use(dbapi_connection, connection_record) -> None:
    """Sets SQLITE_PRAGMAS on every new SQLite connection."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()
