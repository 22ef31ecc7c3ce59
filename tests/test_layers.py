"""Dependencies point down: the web pages, the API and the CLI over the services, over families/,
documents/ and archive/, over signatures/ (docs: ../shared/design/architecture.md).

Read from the source with `ast` (nothing is imported or run): each rule names the modules it covers
by folder, so a module added later is covered the day it is written. A failure names the module,
the line and the import.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# What only a web request has: a service that reads them cannot run from the CLI, a batch job or a worker.
REQUEST_STATE = frozenset({"flask.request", "flask.session", "flask.g", "flask_login.current_user"})

# Explicit exceptions, each with its reason; nothing else may break a rule.
EXCEPTIONS = {
    # The device pages' language: `?lang=`, the choice kept in the session cookie and
    # Accept-Language are the request's by definition; it is Flask-Babel's locale selector
    # (service/__init__.py) and the device views' before_request hook. No service calls those
    # functions: steps.sign gets the language as an argument.
    ("service/signing/language.py", "flask.request"),
    ("service/signing/language.py", "flask.session"),
}


def module_name(path: Path, root: Path = ROOT) -> str:
    """'service/signing/steps.py' -> 'service.signing.steps'; a package's __init__.py is the package."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, root: Path = ROOT) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of everything a module imports: `from a import b` gives both 'a' and
    'a.b' (b may be a module or a name in a), relative imports resolved against the module's
    package, and `flask.request`-style attribute uses of an imported flask or flask_login module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    aliases: dict[str, str] = {}  # a local name bound to the flask or flask_login module itself
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
                if alias.name in ("flask", "flask_login"):
                    aliases[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            yield node.lineno, source
            for alias in node.names:
                yield node.lineno, f"{source}.{alias.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            yield node.lineno, f"{aliases[node.value.id]}.{node.attr}"


def is_view(name: str) -> bool:
    """A view module (views.py, *_views.py), anything in one, or the web and API packages."""
    parts = name.split(".")
    return (any(part == "views" or part.endswith("_views") for part in parts)
            or name in ("service.web", "service.api") or name.startswith(("service.web.", "service.api.")))


def modules(*folders: str, files: tuple[str, ...] = (), skip_views: bool = False) -> list[Path]:
    found = [p for folder in folders for p in sorted((ROOT / folder).rglob("*.py"))]
    found += [ROOT / f for f in files]
    if skip_views:
        found = [p for p in found if not (p.stem == "views" or p.stem.endswith("_views"))]
    return found


# Below the web layer: no request state, no view module, neither the web pages nor the API.
LOWER = modules("service/documents", "signatures", "service/archive", "service/families", "service/signing",
                files=("service/audit.py",), skip_views=True)
API = modules("service/api")
CORE = modules("service/documents", "signatures")
SIGNATURES = modules("signatures")


def violations(paths: list[Path], broken, root: Path = ROOT) -> list[str]:
    """'path:line imports name' for every import of `paths` that `broken(name)` refuses."""
    found = []
    for path in paths:
        relative = path.relative_to(root).as_posix()
        for line, name in imports(path, root):
            if broken(name) and (relative, name) not in EXCEPTIONS:
                found.append(f"{relative}:{line} imports {name}")
    return sorted(set(found))


def test_the_rules_see_the_packages():
    """Each rule covers what it says (a moved folder would otherwise leave a rule checking nothing)."""
    covered = {p.relative_to(ROOT).as_posix() for p in LOWER}
    for module in ("service/documents/issue.py", "signatures/assemble.py", "service/archive/store.py",
                   "service/families/models.py", "service/signing/steps.py", "service/audit.py"):
        assert module in covered
    assert not covered & {"service/archive/views.py", "service/signing/device_views.py",
                          "service/signing/staff_views.py", "service/signing/family_views.py"}
    assert ROOT / "service/api/signing.py" in API and ROOT / "service/documents/render.py" in CORE


def test_services_and_below_use_no_request_state_and_no_views():
    """documents/, signatures/, archive/ (but its views), families/, audit.py and the signing
    package's non-view modules run without a request: the CLI, a batch job and a worker call them."""
    found = violations(LOWER, lambda name: name in REQUEST_STATE or is_view(name))
    assert not found, "below the web layer, these read request state or import the web layer:\n" + "\n".join(found)


def test_the_api_imports_no_view_module_of_the_pages():
    """The API has its own serializers; it shares services with the pages, never their views."""
    found = violations(API, lambda name: (is_view(name) and not name.startswith("service.api"))
                       or name == "service.web" or name.startswith("service.web."))
    assert not found, "the API imports the pages' views:\n" + "\n".join(found)


def test_documents_and_signatures_import_no_flask():
    """The core (document types, rendering, conversion, the signing library) knows no web framework."""
    found = violations(CORE, lambda name: name.split(".")[0] == "flask" or name.startswith("flask_"))
    assert not found, "documents/ or signatures/ import Flask:\n" + "\n".join(found)


def test_signatures_import_nothing_of_the_service():
    """signatures/ is a library of its own: the service uses it, never the other way round."""
    found = violations(SIGNATURES, lambda name: name == "service" or name.startswith("service."))
    assert not found, "signatures/ imports the service:\n" + "\n".join(found)


@pytest.mark.parametrize("source, expected", [
    ("from flask import request\n", "flask.request"),
    ("from flask import session as web_session\n", "flask.session"),
    ("import flask\nflask.g.x = 1\n", "flask.g"),
    ("from flask_login import current_user\n", "flask_login.current_user"),
    ("from ..web import views\n", "service.web.views"),
    ("from .staff_views import SIGNING_STAFF\n", "service.signing.staff_views.SIGNING_STAFF"),
    ("from ..api.signing import session_json\n", "service.api.signing"),
])
def test_the_check_sees_a_bad_import(tmp_path, source, expected):
    """The checker itself: a module of the signing package with each kind of bad import is caught."""
    module = tmp_path / "service" / "signing" / "bad.py"
    module.parent.mkdir(parents=True)
    module.write_text(source)
    found = violations([module], lambda name: name in REQUEST_STATE or is_view(name), root=tmp_path)
    assert any(line.endswith(f"imports {expected}") and line.startswith("service/signing/bad.py:")
               for line in found), found
