"""The embeddable script stays small and self-contained: under 20 KB gzipped for everything
it loads (it loads nothing else: no stylesheet, font, image or library), served as is."""
import gzip
import re
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "static" / "widget.js"
LIMIT = 20 * 1024


def test_widget_js_is_under_20_kb_gzipped():
    size = len(gzip.compress(SCRIPT.read_bytes(), compresslevel=9))
    assert size < LIMIT, f"static/widget.js is {size} bytes gzipped"


def test_widget_js_loads_nothing_but_its_own_endpoints():
    source = SCRIPT.read_text()
    urls = set(re.findall(r"https?://[^\s\"'`)]+", source))
    assert urls <= {"http://www.w3.org/2000/svg"}, urls  # an XML namespace, never fetched
    assert not re.search(r"\b(import\s*\(|require\(|@import|url\(|<link|new Worker)", source)
    assert "eval(" not in source and "new Function" not in source  # no eval under a strict CSP
    assert "innerHTML" not in source  # markup from the server goes through the sanitizer


def test_the_script_is_served_for_any_site(client):
    response = client.get("/static/widget.js")
    assert response.status_code == 200
    assert response.mimetype in ("text/javascript", "application/javascript")
    assert response.data == SCRIPT.read_bytes()
