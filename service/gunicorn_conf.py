"""gunicorn settings: one worker process holding the LibreOffice pool, threads for concurrency.

The hooks make each worker the serving process (it owns the converter profiles and starts them
warm) and stop its converters when it exits; converters also end if a worker is killed.
"""
import ipaddress
import os



def bind_address(environ=os.environ) -> str:
    """gunicorn's bind: ASYSTA_BIND (default 127.0.0.1, the loopback: only this machine, i.e. a
    reverse proxy beside it, can connect) and PORT (default 8000). ASYSTA_BIND may name another
    address (``0.0.0.0``, ``::``) or a socket (``unix:/run/asysta/asysta.sock``, PORT unused)."""
    address = environ.get("ASYSTA_BIND", "").strip() or "127.0.0.1"
    if address.startswith("unix:"):
        return address
    try:
        if ipaddress.ip_address(address).version == 6:
            address = f"[{address}]"
    except ValueError:
        if ":" in address:  # already host:port or [v6]:port
            return address
    return f"{address}:{environ.get('PORT', '8000')}"


bind = bind_address()
# The service, not gunicorn, decides whom to believe about the client's scheme and address: only
# werkzeug's ProxyFix, and only when ASYSTA_TRUSTED_PROXIES is set (service/transport.py).
# gunicorn would otherwise take X-Forwarded-Proto from any local process (its default trusts
# 127.0.0.1 and every client of a unix socket).
forwarded_allow_ips = ""
secure_scheme_headers = {}
# One process owns the converter pool (one LibreOffice per core); requests wait on LibreOffice
# over XML-RPC, so threads, not processes, give the concurrency.
workers = 1
threads = int(os.environ.get("ASYSTA_THREADS", "8"))
timeout = 120
# An idle kept-alive connection is closed after this many seconds. gunicorn's default (2 s) is
# shorter than the pause of a person between two clicks and than a reverse proxy's own idle
# timeout (nginx: 60 s upstream keepalive): the client then reuses a connection the server is
# closing at that moment and gets "connection reset" (seen once in 1,100 requests of
# bench/load.py). The upstream must wait longer than its clients, so 75 s.
keepalive = 75
graceful_timeout = 30
accesslog = "-"
# gunicorn 27's control socket lives at one path per user (~/.gunicorn/gunicorn.ctl): a second
# service, a benchmark or a test server on the same machine would take it over. Nothing uses it.
control_socket_disable = True


def post_worker_init(worker):
    """After the worker has loaded the application: serve it (start the converters)."""
    from flask import Flask

    from service import serve

    if isinstance(worker.wsgi, Flask):
        serve(worker.wsgi)


def worker_exit(server, worker):
    """In the worker, as it exits: stop its LibreOffice processes now, not only at interpreter exit."""
    from service.documents.convert import stop_all

    stop_all()
