"""Departments: the categories tickets are sorted into, and who may do what in each."""


def init_app(app) -> None:
    from app.departments import api as _api  # noqa: F401  (registers the API endpoints)
    from app.departments.views import bp

    app.register_blueprint(bp)
