"""The REST API (/api/v1): the same services and permission predicates as the pages, OpenAPI 3.1 from the code."""
from __future__ import annotations


def init_app(app) -> None:
    """Register the API blueprints (token-authenticated), the docs page and the token pages, by name."""
    from app.api import audit, capa, core, procedures, reviews
    from app.api.routes import bp as pages_bp

    core.init_app(app, [procedures.blp, reviews.blp, capa.blp, audit.blp, audit.search_blp])
    app.register_blueprint(pages_bp)
