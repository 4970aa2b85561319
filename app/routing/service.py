"""Routing rule service: create, edit, order, enable/disable, delete — and ``apply_routing``,
which sorts every new ticket on every channel (through the ``ticket_drafted`` signal).

Rights, for the page and the API alike:

* Reading the rules (and a dry run) — every staff member. A rule decides which queue and
  whom a ticket lands with; an agent who can see the rules can tell why a ticket came to
  them, and the rules hold nothing confidential (words, domains, departments).
* Changing them (add, edit, enable/disable, reorder, delete) — admins and managers. The
  rules are the desk's daily workflow, retuned as the workload shifts, which is the
  manager's job as much as the admin's; every change is in the event log they both read.
"""
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import event, func, select, update

from app.departments.models import Department
from app.errors import NotFound, ValidationFailed
from app.events.service import record_event
from app.extensions import db
from app.routing import engine
from app.routing.conditions import clean_actions, clean_conditions
from app.routing.models import RoutingRule
from app.settings_cache import cached, settings_changed
from app.staff.models import Staff
from app.staff.roles import EVERYONE, MANAGERS, has_role, require_role
from app.tickets.access import RANK, level_in

MAX_RULES = 500
READERS = EVERYONE
EDITORS = MANAGERS


def can_change_rules(actor) -> bool:
    """Whether ``actor`` may add, edit, reorder or delete rules (pages hide the buttons)."""
    return has_role(actor, EDITORS)


def ordered_rules(*, enabled_only: bool = False) -> list[RoutingRule]:
    """The tenant's rules in firing order."""
    stmt = select(RoutingRule).order_by(RoutingRule.position, RoutingRule.id)
    if enabled_only:
        stmt = stmt.where(RoutingRule.enabled.is_(True))
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class RuleSnapshot:
    """What routing needs of a rule, as plain data the process's cache can share."""
    id: int
    name: str
    enabled: bool
    conditions: dict
    department_id: int | None
    assignee_id: int | None
    priority: str | None
    type: str | None
    tags: tuple


def _load_enabled_rules() -> tuple[RuleSnapshot, ...]:
    return tuple(RuleSnapshot(rule.id, rule.name, rule.enabled, dict(rule.conditions or {}),
                              rule.department_id, rule.assignee_id, rule.priority, rule.type,
                              tuple(rule.tags or ()))
                 for rule in ordered_rules(enabled_only=True))


def list_rules(*, actor) -> list[RoutingRule]:
    """The rules in firing order, for a staff member to read."""
    require_role(actor, READERS)
    return ordered_rules()


def view_rule(*, actor, rule_id: int) -> RoutingRule:
    """One rule, for a staff member to read (404 when it isn't there)."""
    require_role(actor, READERS)
    return get_rule(rule_id)


def get_rule(rule_id: int) -> RoutingRule:
    rule = db.session.get(RoutingRule, rule_id)
    if rule is None:
        raise NotFound(_("Routing rule not found."))
    return rule


def rule_state(rule: RoutingRule) -> dict:
    """The rule as the event log and the API show it."""
    return {"name": rule.name, "enabled": rule.enabled, "position": rule.position,
            "conditions": rule.conditions or {},
            "actions": {"department_id": rule.department_id, "assignee_id": rule.assignee_id,
                        "priority": rule.priority, "type": rule.type, "tags": rule.tags or []}}


def _clean_name(name) -> str:
    name = (name or "").strip()
    if not 1 <= len(name) <= 200:
        raise ValidationFailed(fields={"name": _("Enter a name of 1–200 characters.")})
    return name


def create_rule(*, actor, name: str, conditions: dict | None = None,
                actions: dict | None = None, enabled: bool = True) -> RoutingRule:
    """Add a rule at the end of the list (it fires after every existing rule)."""
    require_role(actor, EDITORS)
    name = _clean_name(name)
    conditions = clean_conditions(conditions or {})
    actions = clean_actions(actions or {})
    count = db.session.scalar(select(func.count()).select_from(RoutingRule))
    if count >= MAX_RULES:
        raise ValidationFailed(ngettext("At most %(num)d routing rule.",
                                        "At most %(num)d routing rules.", MAX_RULES))
    last = db.session.scalar(select(func.max(RoutingRule.position)))
    rule = RoutingRule(name=name, enabled=bool(enabled), conditions=conditions,
                       position=(last or 0) + 1, **actions)
    db.session.add(rule)
    db.session.flush()
    settings_changed()
    record_event(actor, "routing_rule.created", rule, rule_state(rule))
    return rule


def update_rule(*, actor, rule_id: int, name: str | None = None,
                conditions: dict | None = None, actions: dict | None = None,
                enabled: bool | None = None) -> RoutingRule:
    """Change a rule; ``conditions`` and ``actions``, when given, replace the old ones whole."""
    require_role(actor, EDITORS)
    rule = get_rule(rule_id)
    before = rule_state(rule)
    if name is not None:
        rule.name = _clean_name(name)
    if conditions is not None:
        rule.conditions = clean_conditions(conditions)
    if actions is not None:
        for key, value in clean_actions(actions).items():
            setattr(rule, key, value)
    if enabled is not None:
        rule.enabled = bool(enabled)
    after = rule_state(rule)
    if after != before:
        db.session.flush()
        settings_changed()
        action = "routing_rule.updated"
        if set(k for k in after if after[k] != before[k]) == {"enabled"}:
            action = "routing_rule.enabled" if rule.enabled else "routing_rule.disabled"
        record_event(actor, action, rule, {"before": before, "after": after})
    return rule


def delete_rule(*, actor, rule_id: int) -> None:
    """Delete a rule; tickets it routed keep its id as a record of what happened."""
    require_role(actor, EDITORS)
    rule = get_rule(rule_id)
    record_event(actor, "routing_rule.deleted", rule, rule_state(rule))
    db.session.delete(rule)
    db.session.flush()
    settings_changed()


def reorder_rules(*, actor, rule_ids: list[int]) -> list[RoutingRule]:
    """Put the rules in the order given; the list must name every rule exactly once."""
    require_role(actor, EDITORS)
    rules = {rule.id: rule for rule in ordered_rules()}
    if len(rule_ids) != len(set(rule_ids)) or set(rule_ids) != set(rules):
        raise ValidationFailed(fields={"ids": _("List every routing rule exactly once.")})
    before = [rule.id for rule in rules.values()]
    for position, rule_id in enumerate(rule_ids, start=1):
        rules[rule_id].position = position
    db.session.flush()
    if before != list(rule_ids):
        settings_changed()
        record_event(actor, "routing_rule.reordered", ("routing_rule", ""),
                     {"before": before, "after": list(rule_ids)})
    return [rules[rule_id] for rule_id in rule_ids]


def move_rule(*, actor, rule_id: int, offset: int) -> None:
    """Move a rule up (``offset`` -1) or down (+1) by one place."""
    require_role(actor, EDITORS)
    ids = [rule.id for rule in ordered_rules()]
    get_rule(rule_id)
    index = ids.index(rule_id)
    target = index + offset
    if 0 <= target < len(ids):
        ids[index], ids[target] = ids[target], ids[index]
        reorder_rules(actor=actor, rule_ids=ids)


def _assignee_fits(draft) -> bool:
    """Whether the draft's assignee may take the ticket where it is going; a rule's assignee
    who was deactivated or lost their rights is dropped rather than refusing the ticket."""
    staff = db.session.get(Staff, draft.assignee_id)
    if staff is None or not staff.active:
        return False
    level = level_in(staff, draft.department_id)
    return level is not None and RANK[level] >= RANK["reply"]


def apply_routing(draft) -> RuleSnapshot | None:
    """Route a new ticket: the first enabled rule (by position) whose conditions all match
    sets its actions on the draft and records itself in ``draft.routing_rule_id``.
    Returns the rule that fired, if any."""
    rule = engine.first_match(cached("routing_rules", _load_enabled_rules), draft)
    if rule is None:
        return None
    assignee_before = draft.assignee_id
    engine.apply_actions(rule, draft)
    if rule.assignee_id is not None and not _assignee_fits(draft):
        draft.assignee_id = assignee_before
    return rule


def dry_run(*, actor, draft) -> RuleSnapshot | None:
    """Route ``draft`` as a new ticket would be, for a staff member checking the rules;
    the draft is changed, nothing is stored."""
    require_role(actor, READERS)
    return apply_routing(draft)


def route_draft(_app, *, draft) -> None:
    """Receiver of ``ticket_drafted``: every new ticket, on every channel, is routed."""
    apply_routing(draft)


# Deleting a department or staff member clears it from the rules' actions (see the
# migration: PostgreSQL does it with SET NULL (column); SQLite can't name the column).
@event.listens_for(Department, "before_delete")
def _forget_department(mapper, connection, target):
    settings_changed(tenant_id=target.tenant_id)
    table = RoutingRule.__table__
    connection.execute(update(table).where(
        table.c.tenant_id == target.tenant_id, table.c.department_id == target.id)
        .values(department_id=None))


@event.listens_for(Staff, "before_delete")
def _forget_staff(mapper, connection, target):
    settings_changed(tenant_id=target.tenant_id)
    table = RoutingRule.__table__
    connection.execute(update(table).where(
        table.c.tenant_id == target.tenant_id, table.c.assignee_id == target.id)
        .values(assignee_id=None))


def forget_organization(_app, *, organization_id: int) -> None:
    """Receiver of ``organization_deleting``: drop it from the rules' conditions. A rule left
    with no organization would suddenly match everyone, so it is disabled instead."""
    for rule in ordered_rules():
        ids = (rule.conditions or {}).get("organization_ids") or []
        if organization_id not in ids:
            continue
        before = rule_state(rule)
        remaining = [i for i in ids if i != organization_id]
        conditions = dict(rule.conditions)
        if remaining:
            conditions["organization_ids"] = remaining
        else:
            del conditions["organization_ids"]
            rule.enabled = False
        rule.conditions = conditions
        db.session.flush()
        settings_changed()
        record_event(None, "routing_rule.updated", rule,
                     {"before": before, "after": rule_state(rule),
                      "reason": "organization deleted"})
