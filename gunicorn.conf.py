"""gunicorn settings for production and for `make run`; override with GUNICORN_* env."""

import os

bind = os.environ.get("GUNICORN_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Workers are recycled now and then (a guard against slow leaks); with the app preloaded in the
# master a new worker is a fork, not a fresh import of Django.
preload_app = True
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
accesslog = "-"
errorlog = "-"
# The access log line leaves out the query string, and the logger class hides the token in /s/<token>/
# paths (evalportal/gunicorn_logging.py); the request id matches the line to the app's own log lines.
logger_class = "evalportal.gunicorn_logging.Logger"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms request=%({x-request-id}o)s'
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "127.0.0.1")
