"""The safe placeholder renderer: substitution, escaping, unknown placeholders, custom fields."""
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

from app.responses.context import ticket_values
from app.responses.render import render, sanitize, template_problems
from app.tickets.sanitize import sanitize_html

VALUES = {"customer.name": "Jane", "ticket.number": "42", "ticket.subject": "Login",
          "agent.name": "Alex", "ticket.status_url": "https://desk.example/s/42"}


def test_known_placeholders_are_filled_with_or_without_spaces():
    html, missing = render("<p>Hi {{customer.name}}, #{{ ticket.number }} ({{ticket.subject}})"
                           " — {{agent.name}}</p>", VALUES)
    assert html == "<p>Hi Jane, #42 (Login) — Alex</p>"
    assert missing == []


def test_values_are_html_escaped():
    values = VALUES | {"customer.name": "<script>alert(1)</script>", "ticket.subject": 'a"b&c'}
    html, _ = render("<p>{{customer.name}} {{ticket.subject}}</p>", values)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "a\"b&amp;c" in html or "a&quot;b&amp;c" in html


def test_a_value_cannot_smuggle_a_javascript_url_into_a_link():
    values = VALUES | {"ticket.status_url": "javascript:alert(1)"}
    html, _ = render('<a href="{{ticket.status_url}}">status</a>', values)
    assert "javascript" not in html


def test_a_value_cannot_break_out_of_an_attribute():
    values = VALUES | {"ticket.status_url": 'https://desk.example/s/1" onmouseover="alert(1)'}
    html, _ = render('<a href="{{ticket.status_url}}">status</a>', values)
    attributes = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attributes.extend(name for name, _value in attrs)

    Collect().feed(html)
    assert "onmouseover" not in attributes
    assert "href" in attributes


def test_the_template_itself_is_never_jinja():
    html, missing = render("{{ 7*7 }} {% for x in y %}{{ config }}{% endfor %}", VALUES)
    assert "49" not in html
    assert "{%" in html  # plain text, not evaluated
    assert missing == ["7*7", "config"]


def test_unknown_placeholders_render_empty_and_are_reported():
    body = "Hi {{customer.nam}}! {{ ticket number }} {{customer.nam}} {{ticket.number}}"
    html, missing = render(body, VALUES)
    assert html == "Hi !   42"
    assert missing == ["customer.nam", "ticket number"]
    assert template_problems(body) == ["customer.nam", "ticket number"]


def test_template_problems_know_every_documented_placeholder():
    body = ("{{customer.name}} {{ticket.number}} {{ticket.subject}} {{agent.name}} "
            "{{ticket.status_url}} {{ticket.custom.order_id}}")
    assert template_problems(body) == []


def test_custom_fields_are_checked_against_the_tenants_keys():
    body = "{{ticket.custom.order_id}} {{ticket.custom.colour}} {{ticket.custom.}}"
    assert template_problems(body, {"order_id"}) == ["ticket.custom.colour", "ticket.custom."]
    html, missing = render(body, VALUES | {"ticket.custom.order_id": "A-7"})
    assert html.startswith("A-7")
    assert missing == ["ticket.custom.colour", "ticket.custom."]


def test_a_known_placeholder_without_a_value_renders_empty():
    html, missing = render("[{{ticket.status_url}}]", VALUES | {"ticket.status_url": None})
    assert html == "[]"
    assert missing == ["ticket.status_url"]


def test_sanitize_removes_scripts_handlers_and_javascript_links():
    dirty = ('<p onclick="x()">ok<script>alert(1)</script>'
             '<a href="javascript:alert(1)">l</a><img src=x onerror=alert(1)></p>')
    clean = sanitize(dirty)
    for bad in ("script", "onclick", "javascript", "onerror"):
        assert bad not in clean
    assert "ok" in clean


def test_ticket_values_take_the_customer_custom_fields_and_agent():
    ticket = SimpleNamespace(
        number=7, subject="Printer", customer=SimpleNamespace(display_name="Bob"),
        custom_fields={"order_id": "A-1", "vip": True, "parts": ["a", "b"]})
    values = ticket_values(ticket, SimpleNamespace(name="Alex"))
    assert values["customer.name"] == "Bob"
    assert values["ticket.number"] == "7"
    assert values["agent.name"] == "Alex"
    assert values["ticket.custom.order_id"] == "A-1"
    assert values["ticket.custom.parts"] == "a, b"
    assert values["ticket.custom.vip"] == "Yes"


def test_a_template_keeps_what_a_reply_may_carry_and_no_more():
    # One sanitizer for both (app/tickets/sanitize.py): a template can't store markup that
    # a reply built from it would lose, or keep what a reply may not carry.
    body = ('<h2>Hi</h2><font color="red">x</font><iframe src="https://e.example"></iframe>'
            '<a href="https://shop.example">shop</a><img src="data:image/png;base64,AA">'
            '<table><tr><td colspan="2">t</td></tr></table>')
    assert sanitize(body) == sanitize_html(body)
    assert "<iframe" not in sanitize(body) and "data:" not in sanitize(body)
    assert 'rel="noopener noreferrer nofollow"' in sanitize(body)


def test_a_placeholder_link_is_kept_in_the_template_and_judged_once_filled():
    stored = sanitize('<a href="{{ticket.status_url}}">status</a>'
                      '<a href="{{ticket.custom.site}}/orders">orders</a>')
    assert 'href="{{ticket.status_url}}"' in stored
    assert 'href="{{ticket.custom.site}}/orders"' in stored
    html, _ = render(stored, VALUES | {"ticket.custom.site": "javascript:alert(1)//"})
    assert 'href="https://desk.example/s/42"' in html
    assert "javascript" not in html


def test_nh3_is_called_in_one_module_only():
    root = Path(__file__).resolve().parents[1]
    users = sorted(str(path.relative_to(root))
                   for top in ("app", "billing", "integrations", "tenants")
                   for path in (root / top).rglob("*.py")
                   if re.search(r"^\s*(import nh3|from nh3)", path.read_text(encoding="utf-8"),
                                re.MULTILINE))
    assert users == ["app/tickets/sanitize.py"]
