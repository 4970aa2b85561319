"""What the operator's tools plug into the app: the console's pages, the commands, and the
tenants' pages refusing the operator's session."""
# Importing these registers the console's routes on the blueprint and the commands on the
# ``billing`` group (flask --app wsgi billing …).
from app.operator import cli, console, queue_pages, tenant_pages  # noqa: F401
from app.operator.access import bp, refuse_operator_on_tenant_pages


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.before_request(refuse_operator_on_tenant_pages)
