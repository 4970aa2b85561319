"""Staff: the people who work the help desk, their roles and department rights."""


def init_app(app) -> None:
    from app.staff import api as _api  # noqa: F401  (registers the API endpoints)
    from app.staff.invite_views import bp as invite_bp
    from app.staff.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(invite_bp)
