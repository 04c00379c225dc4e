"""WSGI entry point: `gunicorn -c gunicorn.conf.py wsgi:app`, `flask --app wsgi ...`."""
import sys

from app import create_app, warmup

app = create_app()
warmup.at_start(app)  # under `flask run` only: warm the search index in the background

if "gunicorn" in sys.modules:  # a worker warms its audit verdict after the fork, before its first request
    from app.audit.warm import warm_process

    warm_process(app)
