"""gunicorn settings read by `gunicorn -c gunicorn.conf.py wsgi:app` (and by default from this directory).

Each worker opens the git store and the search index itself after the fork (never use --preload), then
warms the search index before it takes its first request (app/warmup.py).
"""

preload_app = False


def post_worker_init(worker):
    from app.warmup import warm_search

    warm_search(worker.wsgi, tick=worker.notify)
