"""Routing rule matching, pure: each condition, each action, order and disabled rules."""
from types import SimpleNamespace

from app.routing.engine import (
    apply_actions,
    conditions_match,
    custom_fields_match,
    first_match,
    sender_matches,
    words_match,
)
from app.tickets.signals import TicketDraft


def draft(**over) -> TicketDraft:
    values = {"channel": "email", "requester_email": "Ann@Shop.Example.com",
              "subject": "Invoice 42 overdue", "body_text": "Please send the commercial offer."}
    return TicketDraft(**(values | over))


def rule(id=1, enabled=True, conditions=None, **actions) -> SimpleNamespace:
    values = {"department_id": None, "assignee_id": None, "priority": None, "type": None,
              "tags": []} | actions
    return SimpleNamespace(id=id, enabled=enabled, conditions=conditions or {}, **values)


def test_empty_conditions_match_everything():
    assert conditions_match({}, draft())


def test_channel():
    assert conditions_match({"channels": ["email", "widget"]}, draft())
    assert not conditions_match({"channels": ["widget"]}, draft())


def test_sender_address_and_domain():
    email = "ann@shop.example.com"
    assert sender_matches(email, ["ANN@shop.example.com"])
    assert sender_matches(email, ["example.com"])  # subdomains belong to the domain
    assert sender_matches(email, ["@shop.example.com"])
    assert not sender_matches(email, ["bob@shop.example.com"])
    assert not sender_matches(email, ["ample.com"])  # not a suffix match on text
    assert not sender_matches(email, ["other.org"])
    assert conditions_match({"senders": ["example.com"]}, draft())


def test_words_are_whole_words_case_insensitive():
    assert words_match("Invoice 42 overdue", ["invoice"])
    assert words_match("see the Commercial Offer", ["commercial offer"])
    assert not words_match("Invoices attached", ["invoice"])
    assert words_match("Счёт на оплату", ["счёт"])
    assert not words_match("", ["invoice"])


def test_words_where():
    assert conditions_match({"words": ["invoice"], "words_in": "subject"}, draft())
    assert not conditions_match({"words": ["invoice"], "words_in": "body"}, draft())
    assert conditions_match({"words": ["offer"], "words_in": "body"}, draft())
    assert conditions_match({"words": ["offer"], "words_in": "any"}, draft())
    assert not conditions_match({"words": ["offer"], "words_in": "subject"}, draft())


def test_organization():
    assert conditions_match({"organization_ids": [3, 4]}, draft(organization_id=4))
    assert not conditions_match({"organization_ids": [3]}, draft(organization_id=4))
    assert not conditions_match({"organization_ids": [3]}, draft())


def test_custom_fields():
    assert custom_fields_match({"plan": "Gold", "vip": True}, {"plan": "gold", "vip": "true"})
    assert custom_fields_match({"parts": ["a", "b"]}, {"parts": "b"})
    assert custom_fields_match({"count": 5}, {"count": "5"})
    assert not custom_fields_match({"plan": "Silver"}, {"plan": "gold"})
    assert not custom_fields_match({}, {"plan": "gold"})
    assert conditions_match({"custom_fields": {"plan": "gold"}},
                            draft(custom_fields={"plan": "Gold"}))


def test_all_conditions_must_match():
    conditions = {"channels": ["email"], "senders": ["example.com"], "words": ["nothing"]}
    assert not conditions_match(conditions, draft())
    conditions["words"] = ["invoice"]
    assert conditions_match(conditions, draft())


def test_actions_set_fields_add_tags_and_record_the_rule():
    d = draft(priority="low", tags=["vip"])
    apply_actions(rule(id=9, department_id=2, assignee_id=5, priority="urgent",
                       type="incident", tags=["billing", "vip"]), d)
    assert (d.department_id, d.assignee_id, d.priority, d.type) == (2, 5, "urgent", "incident")
    assert d.tags == ["vip", "billing"]
    assert d.routing_rule_id == 9


def test_actions_leave_unset_fields_alone():
    d = draft(priority="high", department_id=7)
    apply_actions(rule(id=1, type="change_request"), d)
    assert (d.priority, d.department_id, d.type) == ("high", 7, "change_request")


def test_first_matching_rule_in_order_wins_and_disabled_rules_are_skipped():
    rules = [rule(id=1, enabled=False, priority="low"),
             rule(id=2, conditions={"channels": ["widget"]}, priority="high"),
             rule(id=3, conditions={"words": ["invoice"]}, priority="urgent"),
             rule(id=4, priority="normal")]
    assert first_match(rules, draft()).id == 3
    assert first_match(rules, draft(channel="widget")).id == 2
    assert first_match(rules, draft(subject="hello", body_text="")).id == 4
    assert first_match(rules[:2], draft()) is None
