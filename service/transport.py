"""How requests reach the service: trusted reverse proxies, trusted host names, HTTPS.

Three WSGI layers in front of Flask, outermost first (installed by `install`):

1. Proxy headers (werkzeug's ProxyFix), only when ASYSTA_TRUSTED_PROXIES says a proxy is there:
   then the address of the client (the IP in the access log and on the evidence page) and the
   scheme come from X-Forwarded-For / X-Forwarded-Proto as that proxy set them. Without the
   setting these headers are ignored, whoever sends them (ASVS 4.0.3 V1.14, V14.5).
2. The Host check: a request whose Host is not a trusted name gets 400 before any view, hook or
   template sees it, so a forged Host can never end up in a link (ASVS 4.0.3 V5.1; OWASP's
   "Host header injection"). External links are built from ASYSTA_PUBLIC_URL when it is set.
3. HTTPS (config HTTPS): plain HTTP is redirected to HTTPS (308, the method is kept); every
   cookie set on a request that arrived over HTTPS is marked Secure (ASVS 3.4.1), whatever part
   of the service set it (session, device cookies, …).

HSTS and the other response headers are service/headers.py's.
"""
from __future__ import annotations

import functools
import ipaddress
import re
import socket
from collections.abc import Callable, Iterable

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from .headers import protect_headers

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
# A Host header: a DNS name or IPv4 address, or an IPv6 address in brackets; an optional port.
_HOST = re.compile(r"(?P<name>[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(?P<port>[0-9]{1,5}))?", re.IGNORECASE)
UNTRUSTED_HOST = ("Nieznany adres serwera. Otwórz usługę pod jej właściwym adresem "
                  "(nazwę serwera ustawia administrator w ASYSTA_PUBLIC_URL lub ASYSTA_TRUSTED_HOSTS).")


def install(app: Flask) -> None:
    """Wraps app.wsgi_app in the layers above. The proxies are read now; the host names and HTTPS
    from app.config at each request (a test may change them after create_app). Raises ValueError
    for an unreadable ASYSTA_TRUSTED_PROXIES."""
    proxies = parse_trusted_proxies(app.config["TRUSTED_PROXIES"])
    inner = Transport(app.wsgi_app, app)
    app.wsgi_app = TrustedProxies(inner, proxies) if proxies is not None else inner


def parse_trusted_proxies(value: str) -> int | list | None:
    """ASYSTA_TRUSTED_PROXIES -> None (no proxy: forwarding headers ignored), a number of hops
    (each hop's proxy appends its own X-Forwarded-For entry), or a list of ip_network (one proxy,
    whose headers count only when the request comes from one of these addresses).

    Raises ValueError for anything else (0, a negative number, an unreadable address).
    """
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        hops = int(value)
        if hops < 1:
            raise ValueError("ASYSTA_TRUSTED_PROXIES: the number of proxies must be 1 or more")
        return hops
    try:
        return [ipaddress.ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip()]
    except ValueError as exc:
        raise ValueError(f"ASYSTA_TRUSTED_PROXIES: {exc}") from None


class TrustedProxies:
    """ProxyFix for X-Forwarded-For and X-Forwarded-Proto, nothing else.

    X-Forwarded-Host/-Port/-Prefix are not taken: the proxy passes the Host header through (nginx:
    ``proxy_set_header Host $host``; Caddy does so by itself), and a proxy that does not overwrite
    X-Forwarded-Host would let the client choose it.
    """

    def __init__(self, app: Callable, proxies: int | list) -> None:
        self.app = app
        self.networks = proxies if isinstance(proxies, list) else None
        self.fixed = ProxyFix(app, x_for=1 if self.networks else proxies,
                              x_proto=1 if self.networks else proxies, x_host=0, x_port=0, x_prefix=0)

    def __call__(self, environ, start_response):
        if self.networks is not None and not _address_in(environ.get("REMOTE_ADDR", ""), self.networks):
            return self.app(environ, start_response)
        return self.fixed(environ, start_response)


def _address_in(address: str, networks: Iterable) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def trusted_hosts(config) -> tuple[str, ...]:
    """The host names (lowercase, no port) a request may name in Host.

    The loopback names always (local checks, the tests' servers), the public URL's host, and
    ASYSTA_TRUSTED_HOSTS; when neither of the last two is configured, also this machine's own
    names (socket.gethostname(), socket.getfqdn()).
    """
    return _trusted_hosts(tuple(config.get("TRUSTED_HOST_NAMES") or ()), config.get("SERVER_NAME"))


@functools.lru_cache(maxsize=8)
def _trusted_hosts(configured: tuple[str, ...], server_name: str | None) -> tuple[str, ...]:
    # cached: getfqdn() may ask the DNS, which no request should wait for
    names = list(LOOPBACK_NAMES)
    configured = configured + ((server_name,) if server_name else ())
    if not configured:
        configured = (socket.gethostname(), socket.getfqdn())
    for name in configured:
        name = _host_name(name) or name.strip().lower()
        if name and name not in names:
            names.append(name)
    return tuple(names)


def host_is_trusted(host: str, trusted: Iterable[str]) -> bool:
    """Whether a Host header value (``name[:port]``, ``[v6]:port``) names one of `trusted`
    (lowercase names, IPv6 without brackets; ``.example.pl`` matches every subdomain)."""
    name = _host_name(host)
    if not name:
        return False
    for ref in trusted:
        if ref.startswith("."):
            if name.endswith(ref) or name == ref[1:]:
                return True
        elif name == ref:
            return True
    return False


def _host_name(host: str) -> str | None:
    match = _HOST.fullmatch(host.strip())
    if match is None or (match["port"] and not 0 < int(match["port"]) < 65536):
        return None
    name = match["name"].lower()
    if name.startswith("["):
        return name.strip("[]")
    # One trailing dot (the DNS root) is allowed; an empty label ("localhost..") or one over 63
    # characters (RFC 1035 2.3.4) is no host name, and Flask's URL map cannot even encode it.
    name = name.removesuffix(".")
    if any(not 0 < len(label) <= 63 for label in name.split(".")):
        return None
    return name


class Transport:
    """The Host check, the HTTPS redirect and Secure cookies (see the module's docstring)."""

    def __init__(self, app: Callable, flask_app: Flask) -> None:
        self.app = app
        self.config = flask_app.config

    def __call__(self, environ, start_response):
        host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"
        if not host_is_trusted(host, trusted_hosts(self.config)):
            return refusal(400, UNTRUSTED_HOST)(environ, start_response)
        secure = environ.get("wsgi.url_scheme") == "https"
        if self.config.get("HTTPS") and not secure:
            return https_redirect(environ, self.config)(environ, start_response)
        if not secure:
            return self.app(environ, start_response)

        def secure_cookies(status, headers, exc_info=None):
            headers = [(name, _secure(value) if name.lower() == "set-cookie" else value) for name, value in headers]
            return start_response(status, headers, exc_info)

        return self.app(environ, secure_cookies)


def _secure(cookie: str) -> str:
    attributes = [part.strip().lower() for part in cookie.split(";")[1:]]
    return cookie if "secure" in attributes else cookie + "; Secure"


def https_redirect(environ, config) -> Response:
    """308 to the same address over HTTPS: on the public origin's host when one is configured,
    else on the request's (already trusted) host without its port."""
    from urllib.parse import urlsplit, urlunsplit

    from werkzeug.wsgi import get_current_url

    current = urlsplit(get_current_url(environ))
    netloc = config.get("SERVER_NAME") or current.hostname or "localhost"
    if ":" in netloc and not netloc.startswith("[") and netloc.count(":") > 1:
        netloc = f"[{netloc}]"  # a bare IPv6 address
    response = Response(status=308, headers={"Location": urlunsplit(("https", netloc, current.path, current.query, ""))})
    protect_headers(response.headers)
    return response


def refusal(code: int, message: str) -> Response:
    """A plain-text answer from below Flask (no template: the request names no trusted host)."""
    response = Response(message + "\n", status=code, mimetype="text/plain")
    protect_headers(response.headers)
    return response
