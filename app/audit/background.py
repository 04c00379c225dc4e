"""`python -m app.audit.background`: the full re-verification of the audit chain, started by a worker whose
checkpoint is older than QMS_AUDIT_VERIFY_TTL (see app.audit.integrity). Reads the few configuration
values it needs as JSON on its standard input; the rest comes from the environment, as for the workers.
"""
from __future__ import annotations

import json
import os
import sys


def main() -> int:
    os.nice(10)  # the workers serving pages come first
    from app import create_app
    from app.audit.integrity import verify_if_due
    from app.extensions import db

    config = json.loads(sys.stdin.read() or "{}")
    app = create_app(config)
    with app.app_context():
        try:
            verify_if_due()
        finally:
            db.session.remove()
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
