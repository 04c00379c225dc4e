"""What a worker does once when it starts, so that its first user does not wait for it.

- the ORM's mappers are configured (done otherwise inside the first query of the first request);
- every template is compiled (Jinja compiles a template on its first render);
- the audit chain's verdict and the store-history check are brought up to date from the verified
  checkpoint (app.audit.integrity): the first history page then only confirms nothing changed since.

Called by wsgi.py under gunicorn, after the fork (each worker warms itself). A failure here (a database
not migrated yet, an unreadable data directory) is logged and never stops the worker: the first request
then does the same work, and reports what it finds, as it would have without warming.
"""
from __future__ import annotations

import time


def warm_process(app) -> dict[str, float]:
    """Milliseconds spent on each part of the warm-up."""
    from sqlalchemy.orm import configure_mappers

    from app.extensions import db

    spent: dict[str, float] = {}
    t = time.perf_counter()
    configure_mappers()
    spent["mappers"] = (time.perf_counter() - t) * 1000

    t = time.perf_counter()
    for name in app.jinja_env.list_templates(extensions=["html"]):
        try:
            app.jinja_env.get_template(name)
        except Exception:  # noqa: BLE001  (a template that does not compile fails on its own page, as before)
            app.logger.warning("template %s did not compile at worker start", name, exc_info=True)
    spent["templates"] = (time.perf_counter() - t) * 1000

    t = time.perf_counter()
    with app.app_context():
        try:
            from app.audit import integrity

            integrity.chain_status(recheck=False)  # a due full walk starts after the first page, not now
            integrity.store_status()
        except Exception:  # noqa: BLE001
            db.session.rollback()
            app.logger.warning("the audit verdict could not be prepared at worker start", exc_info=True)
        finally:
            db.session.remove()
    spent["audit"] = (time.perf_counter() - t) * 1000
    return spent
