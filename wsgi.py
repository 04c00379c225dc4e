"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""
import sys

from app import create_app

app = create_app()

if "gunicorn" in sys.modules:  # a worker warms itself after the fork, before its first request
    from app.audit.warm import warm_process

    warm_process(app)
