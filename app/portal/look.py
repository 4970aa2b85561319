"""The company's look on the portal's pages: its brand colour — the one its admin chose for
the website widget — on buttons, links and marks, readable whatever colour was chosen.

The Content-Security-Policy allows no inline style, so the colour travels in the address of
a small stylesheet (``/p/look.css?c=1d4ed8``). The stylesheet depends on nothing else, names
no company, and is cached for good: another colour is another address.
"""
import re

from flask import Blueprint, Response, request

from app.widget.checks import DEFAULT_COLOR
from app.widget.settings import current_widget
from tenants.context import resolves_own_tenant

bp = Blueprint("portal_look", __name__)
_HEX = re.compile(r"^[0-9a-f]{6}$")
_DEFAULT = DEFAULT_COLOR.removeprefix("#").lower()
WHITE, INK = (255, 255, 255), (29, 39, 51)  # the page's background and text (app.css)


def brand_color() -> str:
    """The current company's colour as six hex digits (the default when none is set)."""
    color = str((current_widget().colors or {}).get("primary") or "").removeprefix("#").lower()
    return color if _HEX.match(color) else _DEFAULT


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def _css(rgb) -> str:
    return "#" + "".join(f"{round(channel):02x}" for channel in rgb)


def _mix(rgb, other, share: float) -> tuple:
    return tuple(a + (b - a) * share for a, b in zip(rgb, other, strict=True))


def _luminance(rgb) -> float:
    def linear(channel: float) -> float:
        channel /= 255
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4
    red, green, blue = (linear(channel) for channel in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one, other) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def palette(color: str) -> dict[str, str]:
    """The custom properties the pages use, from one brand colour: the colour itself on
    buttons (with white or dark text, whichever reads), a darker shade for hover and for
    links (dark enough to read on white: contrast 4.5), and a pale tint for backgrounds."""
    rgb = _rgb(color if _HEX.match(color) else _DEFAULT)
    link = rgb
    while contrast(link, WHITE) < 4.5:
        link = _mix(link, (0, 0, 0), 0.1)
    on_accent = WHITE if contrast(rgb, WHITE) >= contrast(rgb, INK) else INK
    return {"--accent": _css(rgb), "--accent-dark": _css(_mix(rgb, (0, 0, 0), 0.15)),
            "--accent-soft": _css(_mix(rgb, WHITE, 0.88)), "--accent-link": _css(link),
            "--on-accent": _css(on_accent)}


@bp.get("/p/look.css")
@resolves_own_tenant  # the same for every company: no session, no tenant
def stylesheet():
    rules = "".join(f"{name}:{value};" for name, value in palette(
        request.args.get("c", "").lower()).items())
    response = Response(f":root{{{rules}}}\n", mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
