"""gunicorn settings read by `gunicorn -c gunicorn.conf.py wsgi:app` (and by default from this directory).

Each worker opens the git store and the search index itself after the fork (never use --preload), then
warms the search index before it takes its first request (app/warmup.py), and moves what it has loaded
out of the garbage collector's way (app/warmup.py: settle).
"""

preload_app = False


def post_worker_init(worker):
    app = getattr(worker, "wsgi", None)
    if "QMS_DATA_DIR" not in getattr(app, "config", {}):  # another application (a benchmark's hello-world view)
        return
    from app.warmup import settle, warm_search

    warm_search(app, tick=worker.notify)
    settle()
