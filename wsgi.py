"""WSGI entry point: `gunicorn -c gunicorn.conf.py wsgi:app`, `flask --app wsgi ...`."""
from app import create_app, warmup

app = create_app()
warmup.at_start(app)  # under `flask run` only: warm the search index in the background
