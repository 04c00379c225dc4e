"""Application factory: config -> extensions -> blueprints -> cli -> errors."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from app.config import load_config
from app.extensions import babel, csrf, db, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(load_config(config))
    Path(app.config["QMS_DATA_DIR"]).mkdir(parents=True, exist_ok=True)

    _init_extensions(app)
    from app import web

    web.install_parameter_checks(app)
    _register_blueprints(app)

    from app import cli, fastwidgets

    cli.init_app(app)
    web.init_app(app)
    fastwidgets.install(app)
    return app


def _init_extensions(app: Flask) -> None:
    from app import database, i18n, pagecache
    from app.auth import loader  # noqa: F401  (registers the user loader)
    from app.sessions import VerifiedCookieSessions

    app.session_interface = VerifiedCookieSessions()

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = database.engine_options(app.config)
    db.init_app(app)
    database.init_app(app)
    pagecache.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"),
                     render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=lambda: app.config["QMS_TIMEZONE"])
    i18n.install_template_gettext(app)
    _import_models()


def _import_models() -> None:
    """Every model module, so that metadata (and Alembic) sees all tables."""
    import app.api.models  # noqa: F401
    import app.audit.models  # noqa: F401
    import app.auth.models  # noqa: F401
    import app.capa.models  # noqa: F401
    import app.internal_audits.models  # noqa: F401
    import app.legal.models  # noqa: F401
    import app.management_review.models  # noqa: F401
    import app.objectives.models  # noqa: F401
    import app.office.models  # noqa: F401
    import app.procedures.models  # noqa: F401
    import app.reports.models  # noqa: F401
    import app.reviews.models  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    """Each feature by name: a missing module is an error, never skipped."""
    from app import api
    from app.admin.routes import bp as admin_bp
    from app.audit.routes import bp as audit_bp
    from app.auth.routes import bp as auth_bp
    from app.capa.routes import bp as capa_bp
    from app.internal_audits.routes import bp as internal_audits_bp
    from app.legal.routes import bp as legal_bp
    from app.main.routes import bp as main_bp
    from app.management_review.routes import bp as management_review_bp
    from app.objectives import routes as _objective_pages  # noqa: F401  (routes on the blueprint)
    from app.objectives import routes_import as _objective_imports  # noqa: F401
    from app.objectives import routes_periods as _objective_periods  # noqa: F401
    from app.objectives.blueprint import bp as objectives_bp
    from app.office.routes import bp as office_bp
    from app.procedures import routes as _procedure_pages  # noqa: F401  (routes on the blueprint)
    from app.procedures import routes_edit as _procedure_edits  # noqa: F401
    from app.procedures.blueprint import bp as procedures_bp
    from app.procedures.search_routes import bp as search_bp
    from app.reports.routes import bp as reports_bp
    from app.reviews import routes as _review_pages  # noqa: F401
    from app.reviews import routes_actions as _review_actions  # noqa: F401
    from app.reviews import routes_reports as _review_reports  # noqa: F401
    from app.reviews.blueprint import bp as reviews_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(procedures_bp, url_prefix="/procedures")
    app.register_blueprint(office_bp, url_prefix="/procedures")
    app.register_blueprint(search_bp)
    app.register_blueprint(reviews_bp, url_prefix="/reviews")
    app.register_blueprint(capa_bp, url_prefix="/capa")
    app.register_blueprint(objectives_bp, url_prefix="/objectives")
    app.register_blueprint(audit_bp, url_prefix="/audit")
    app.register_blueprint(legal_bp, url_prefix="/legal")
    app.register_blueprint(internal_audits_bp, url_prefix="/internal-audits")
    app.register_blueprint(management_review_bp, url_prefix="/management-reviews")
    app.register_blueprint(reports_bp, url_prefix="/reports")
    api.init_app(app)  # /api/v1 (token-authenticated), /api/docs and the token pages
