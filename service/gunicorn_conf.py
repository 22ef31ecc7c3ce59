"""gunicorn settings: one worker process holding the LibreOffice pool, threads for concurrency."""
import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
# One process owns the converter pool (one LibreOffice per core); requests wait on LibreOffice
# over XML-RPC, so threads, not processes, give the concurrency.
workers = 1
threads = int(os.environ.get("ASYSTA_THREADS", "8"))
timeout = 120
graceful_timeout = 30
accesslog = "-"
