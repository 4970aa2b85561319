"""Matching routing rules against a ticket draft: pure functions, no database.

A rule's conditions are a dict; every condition present must match (an empty dict
matches every ticket, which makes a catch-all last rule). Within one condition any
listed value may match: ``{"channels": ["email", "widget"]}`` is email OR widget.
"""
import re

WORDS_IN = ("any", "subject", "body")


def _domain_matches(domain: str, pattern: str) -> bool:
    return domain == pattern or domain.endswith("." + pattern)


def sender_matches(email: str, patterns: list[str]) -> bool:
    """``patterns`` hold full addresses (exact match) or domains, written ``example.com``
    or ``@example.com``; a domain also matches its subdomains."""
    email = (email or "").strip().lower()
    domain = email.rpartition("@")[2]
    for pattern in patterns:
        pattern = pattern.strip().lower()
        if "@" in pattern.lstrip("@"):
            if email == pattern:
                return True
        elif domain and _domain_matches(domain, pattern.lstrip("@")):
            return True
    return False


def words_match(text: str, words: list[str]) -> bool:
    """Any of ``words`` (or phrases) appears in ``text`` as a whole word, ignoring case."""
    text = text or ""
    for word in words:
        word = word.strip()
        if word and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE):
            return True
    return False


def _norm(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip().lower()


def custom_fields_match(values: dict, wanted: dict) -> bool:
    """Every wanted field has the wanted value (case-insensitive; a list value matches when
    any element does)."""
    for key, expected in wanted.items():
        actual = (values or {}).get(key)
        if actual is None:
            return False
        candidates = actual if isinstance(actual, list) else [actual]
        if _norm(expected) not in {_norm(c) for c in candidates}:
            return False
    return True


def conditions_match(conditions: dict, draft) -> bool:
    """Whether ``draft`` (a TicketDraft or anything with its attributes) meets all
    ``conditions``."""
    if conditions.get("channels") and draft.channel not in conditions["channels"]:
        return False
    if conditions.get("senders") and not sender_matches(draft.requester_email,
                                                         conditions["senders"]):
        return False
    if conditions.get("words"):
        where = conditions.get("words_in", "any")
        texts = {"subject": [draft.subject], "body": [draft.body_text],
                 "any": [draft.subject, draft.body_text]}[where]
        if not any(words_match(text, conditions["words"]) for text in texts):
            return False
    if conditions.get("organization_ids") and (
            draft.organization_id not in conditions["organization_ids"]):
        return False
    return not (conditions.get("custom_fields")
                and not custom_fields_match(draft.custom_fields, conditions["custom_fields"]))


def apply_actions(rule, draft) -> None:
    """Set what the rule says on the draft: the rule's values win; tags are added."""
    for field in ("department_id", "assignee_id", "priority", "type"):
        value = getattr(rule, field)
        if value is not None:
            setattr(draft, field, value)
    tags = list(draft.tags or [])
    tags += [tag for tag in rule.tags or [] if tag not in tags]
    draft.tags = tags
    draft.routing_rule_id = rule.id


def first_match(rules, draft):
    """The first enabled rule, in the given order, whose conditions ``draft`` meets."""
    for rule in rules:
        if rule.enabled and conditions_match(rule.conditions or {}, draft):
            return rule
    return None
