"""What the knowledge base plugs into the app: the staff pages and API, the public site, the
nav entry, and the staff area's question whether someone's articles keep them."""
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import navigation, security
from app.extensions import csrf
from app.kb import api as _api  # noqa: F401  (registers the API endpoints)
from app.kb import api_more as _api_more  # noqa: F401
from app.kb import views_more as _views_more  # noqa: F401  (more staff pages on the blueprint)
from app.kb.public import bp as public_bp
from app.kb.rights import can_edit
from app.kb.service import articles_by
from app.kb.urls import home_path
from app.kb.views import bp
from app.staff.signals import staff_deleting
from tenants.resolve import current_tenant


def _articles_of(_app, *, staff_id: int) -> int:
    return articles_by(staff_id)


def init_app(app) -> None:
    # Readers have no account and get the same cacheable page: no session, so no CSRF
    # token; the reader forms are rate limited and carry a honeypot instead.
    csrf.exempt(public_bp)
    # The widget may show articles inside its panel on customers' sites.
    security.relax(public_bp, frame_ancestors="*")
    app.register_blueprint(public_bp)
    app.register_blueprint(bp)
    staff_deleting.connect(_articles_of, sender=app)
    # Agents answer with articles every day: right after the tickets and customers.
    navigation.add_entry(app, "kb.index", _l("Knowledge base"), order=30)

    @app.context_processor
    def _knowledge_base():
        # The ticket page offers "save as article" on replies to those who may write.
        return {"kb_can_edit": lambda: current_user.is_authenticated and can_edit(current_user),
                "kb_home_url": lambda: home_path(current_tenant().slug)}
