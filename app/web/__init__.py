"""Public pages (home, signup, login) and the staff dashboard."""
from flask import Blueprint

bp = Blueprint("web", __name__)
