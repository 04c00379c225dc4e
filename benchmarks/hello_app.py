"""A plain hello-world Flask app: the ceiling our pages are compared with under gunicorn."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
