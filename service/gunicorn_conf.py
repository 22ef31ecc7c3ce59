"""gunicorn settings: one worker process holding the LibreOffice pool, threads for concurrency.

The hooks make each worker the serving process (it owns the converter profiles and starts them
warm) and stop its converters when it exits; converters also end if a worker is killed.
"""
import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
# One process owns the converter pool (one LibreOffice per core); requests wait on LibreOffice
# over XML-RPC, so threads, not processes, give the concurrency.
workers = 1
threads = int(os.environ.get("ASYSTA_THREADS", "8"))
timeout = 120
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
