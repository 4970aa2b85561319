"""What the customer portal plugs into the app: its pages (exempt from the session-cookie
CSRF check: their forms carry the link's own token) and the rating on the agents' ticket
page."""
from app.extensions import csrf
from app.portal import views as _views  # noqa: F401  (registers the ticket pages)
from app.portal import views_requests as _requests  # noqa: F401  (and the other pages)
from app.portal.look import bp as look_bp
from app.portal.pages import bp
from app.portal.ratings import rating_of


def init_app(app) -> None:
    csrf.exempt(bp)
    app.register_blueprint(bp)
    app.register_blueprint(look_bp)  # the company's colour, as a stylesheet

    @app.context_processor
    def _ticket_rating():
        # The agents' ticket page shows the requester's rating (templates/portal/_rating.html).
        return {"portal_rating_of": rating_of}
