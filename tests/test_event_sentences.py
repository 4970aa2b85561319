"""The event log and a ticket's history speak in sentences with names and money, not codes;
every action the code records has a sentence."""
import ast
import re
from pathlib import Path

from sqlalchemy import event as sa_event
from sqlalchemy import select

from app.event_log.describe import describe, describe_all
from app.event_log.names import MODELS, load_names
from app.event_log.sentences import SENTENCES
from app.events.models import Event
from app.extensions import db
from tenants import context
from tenants.resolve import tenant_id_by_slug
from tests.conftest import STRONG_PASSWORD
from tests.test_tickets_support import department, new_ticket

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("app", "billing", "tenants", "integrations")


def _positional_action(func: ast.FunctionDef) -> int | None:
    names = [a.arg for a in func.args.posonlyargs + func.args.args]
    return names.index("action") if "action" in names else None


def _action_argument(call: ast.Call, position: int):
    for keyword in call.keywords:
        if keyword.arg == "action":
            return keyword.value
    return call.args[position] if len(call.args) > position else None


def _called(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _strings(node, function) -> set[str] | None:
    """The action strings an argument can hold: a literal, ``a if … else b``, or a local
    name assigned such values; None when it cannot be read from the source."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _strings(node.body, function), _strings(node.orelse, function)
        return body | orelse if body is not None and orelse is not None else None
    if isinstance(node, ast.Name) and function is not None:
        found: set[str] = set()
        for assign in ast.walk(function):
            if isinstance(assign, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == node.id for t in assign.targets):
                values = _strings(assign.value, None)
                if values is None:
                    return None
                found |= values
        return found or None
    return None


def _functions():
    for package in SOURCES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield path, node


def _recorders(functions) -> dict[str, int]:
    """record_event and every function that passes its ``action`` argument on to one, or
    writes it into event rows (``{"action": action}``) — found to a fixed point."""
    recorders = {"record_event": 1}
    changed = True
    while changed:
        changed = False
        for _path, function in functions:
            position = _positional_action(function)
            if position is None or function.name in recorders:
                continue
            for node in ast.walk(function):
                passes = isinstance(node, ast.Call) and _called(node) in recorders and isinstance(
                    _action_argument(node, recorders[_called(node)]), ast.Name)
                writes = isinstance(node, ast.Dict) and any(
                    isinstance(k, ast.Constant) and k.value == "action" and isinstance(v, ast.Name)
                    and v.id == "action" for k, v in zip(node.keys, node.values, strict=True))
                if passes or writes:
                    recorders[function.name] = position
                    changed = True
                    break
    return recorders


def recorded_actions() -> tuple[set[str], list[str]]:
    """Every action string the source records, and the places where it can't be read."""
    functions = list(_functions())
    recorders = _recorders(functions)
    actions, unreadable = set(), []
    for path, function in functions:
        for node in ast.walk(function):
            if not (isinstance(node, ast.Call) and _called(node) in recorders):
                continue
            argument = _action_argument(node, recorders[_called(node)])
            if isinstance(argument, ast.Name) and argument.id == "action" and \
                    _positional_action(function) is not None:
                continue  # a recorder handing its own argument on
            values = _strings(argument, function)
            if values is None:
                unreadable.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            else:
                actions |= values
    return actions, unreadable


def test_every_recorded_action_has_a_sentence():
    actions, unreadable = recorded_actions()
    assert not unreadable, f"write these actions as literal strings: {unreadable}"
    # The walk itself must see the indirect and batched recorders, or it proves nothing.
    assert {"ticket.status_changed", "ticket.priority_changed", "routing_rule.enabled",
            "billing.suspended", "billing.topup_failed", "mail.sent"} <= actions
    assert len(actions) > 60
    missing = sorted(actions - set(SENTENCES))
    assert not missing, f"actions without a sentence in app/event_log/sentences.py: {missing}"


def test_unknown_action_is_still_a_readable_sentence(app_ctx):
    event = Event(action="widget.key_rotated", actor_type="staff", actor_name="Ada Admin",
                  object_type="widget", object_id="3", data={"before": {"key": "x"}, "n": [1]})
    sentence = describe(event)
    assert sentence == "Ada Admin: widget key rotated"
    system = Event(action="ticket.status_changed", actor_type="system", actor_name="",
                   object_type="ticket", object_id="9", data={"surprise": {"a": 1}})
    assert "{" not in describe(system) and "The system" in describe(system)


def _login(client, slug: str) -> None:
    response = client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                                     "password": STRONG_PASSWORD})
    assert response.status_code == 302


def _visible(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html).replace("\xa0", " ")


def test_event_log_and_history_show_sentences_with_names_and_money(client, signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    _login(client, slug)
    second = department(api, "Second line")
    number = new_ticket(api, subject="Printer on fire")["number"]
    api.patch(f"/tickets/{number}", {"status": "open", "priority": "urgent"})
    api.post(f"/tickets/{number}/transfer", {"department_id": second, "comment": "for you"})

    log = _visible(client.get("/app/events/").get_data(as_text=True))
    assert f"Ada Admin changed the status of ticket #{number} from New to Open" in log
    assert f"Ada Admin changed the priority of ticket #{number} from Normal to Urgent" in log
    assert f"Ada Admin transferred ticket #{number} to Second line" in log
    assert "Trial credit of RUB 200.00 added to the balance" in log
    assert "Ada Admin changed the access of Ada Admin: Support — Manage" in log
    assert "Ada Admin created department “Second line”" in log
    for code in ("ticket.status_changed", "billing.credited", "staff.access_changed",
                 "amount:", "{'", "department_id"):
        assert code not in log

    history = _visible(client.get(f"/app/tickets/{number}").get_data(as_text=True))
    assert f"changed the status of ticket #{number} from New to Open" in history
    assert "“for you”" in history
    assert "ticket.status_changed" not in history


def _tenant_id(app, slug: str) -> int:
    with app.app_context():
        return tenant_id_by_slug(slug)


def test_a_page_of_events_loads_names_in_a_fixed_number_of_queries(app, tenant_a):
    departments = [department(tenant_a, f"Dept {i}") for i in range(6)]
    for i, department_id in enumerate(departments):
        new_ticket(tenant_a, subject=f"T{i}", department_id=department_id)
    slug = tenant_a.get("/tenant").get_json()["slug"]
    with app.app_context(), context.tenant_scope(_tenant_id(app, slug)):
        events = db.session.scalars(select(Event).order_by(Event.id)).all()
        few = [e for e in events if e.action == "ticket.created"][:1]
        statements = []

        def count(*_args):
            statements.append(1)

        engine = db.session.get_bind()
        sa_event.listen(engine, "before_cursor_execute", count)
        try:
            describe_all(few, currency="RUB")
            one = len(statements)
            statements.clear()
            sentences = describe_all(events, currency="RUB")
            many = len(statements)
        finally:
            sa_event.remove(engine, "before_cursor_execute", count)
    assert one >= 1 and all(sentences.values())
    # One query per kind of name (and one for custom field labels), however many events.
    assert many <= len(MODELS) + 1 < len(events)


def _busy_tenant(api, client) -> None:
    """Many kinds of change through the API, each leaving its event."""
    second = department(api, "Second line")
    api.patch(f"/departments/{second}", {"name": "Level two", "description": "Experts"})
    spare = department(api, "Spare")
    api.delete(f"/departments/{spare}")
    agent = api.post("/staff", {"name": "Bob Agent", "email": "bob@staff.example",
                                "password": STRONG_PASSWORD,
                                "departments": [{"id": second, "access": "reply"}]}).get_json()
    api.patch(f"/staff/{agent['id']}", {"role": "manager", "language": "kk"})
    field = api.post("/custom-fields", {"key": "plan", "label": "Customer plan",
                                        "kind": "select", "options": ["free", "paid"]}).get_json()
    first = new_ticket(api, subject="First")["number"]
    other = new_ticket(api, subject="Second")["number"]
    api.patch(f"/tickets/{first}", {"status": "pending", "priority": "high", "type": "incident",
                                    "subject": "First, renamed", "tags": ["vip"],
                                    "custom_fields": {"plan": "paid"}})
    api.post(f"/tickets/{first}/assign", {"assignee_id": agent["id"]})
    api.post(f"/tickets/{first}/transfer", {"department_id": second, "comment": "experts"})
    api.post(f"/tickets/{first}/escalate", {"comment": "urgent"})
    api.post(f"/tickets/{first}/messages", {"body": "Noted.", "internal": True})
    api.post(f"/tickets/{first}/messages", {"body": "On it."})
    api.post(f"/tickets/{first}/links", {"number": other})
    api.delete(f"/tickets/{first}/links/{other}")
    api.delete(f"/tickets/{other}")
    api.post(f"/tickets/{other}/restore")
    api.post(f"/tickets/{other}/merge", {"into": first})
    api.patch(f"/custom-fields/{field['id']}", {"label": "Plan", "required": True})
    api.delete(f"/custom-fields/{field['id']}")
    org = api.post("/organizations", {"name": "Acme", "domains": ["acme.example"]}).get_json()
    api.patch(f"/organizations/{org['id']}", {"name": "Acme Ltd"})
    customer = api.post("/customers", {"email": "zoe@else.example", "name": "Zoe"}).get_json()
    api.patch(f"/customers/{customer['id']}", {"organization_id": org["id"]})
    gone = api.post("/organizations", {"name": "Gone Inc"}).get_json()
    api.delete(f"/organizations/{gone['id']}")
    rule = api.post("/routing/rules", {"name": "VIP", "conditions": {"words": ["vip"]},
                                       "actions": {"department_id": second}}).get_json()
    api.patch(f"/routing/rules/{rule['id']}", {"enabled": False})
    api.patch(f"/routing/rules/{rule['id']}", {"name": "VIPs"})
    api.delete(f"/routing/rules/{rule['id']}")
    template = api.post("/responses", {"name": "Thanks", "body": "Thank you",
                                       "set_status": "resolved"}).get_json()
    api.patch(f"/responses/{template['id']}", {"set_priority": "low"})
    api.delete(f"/responses/{template['id']}")
    holiday = api.post("/sla/holidays", {"day": "2031-01-07", "name": "Christmas"}).get_json()
    api.delete(f"/sla/holidays/{holiday['id']}")
    api.call("PUT", "/sla/calendar", {"timezone": "Asia/Almaty",
                                      "hours": {"0": [["09:00", "18:00"]]}})
    api.call("PUT", "/sla/policies", {"policies": [
        {"priority": "high", "first_response_minutes": 30, "resolution_minutes": 240}]})
    api.patch("/settings/attachments", {"max_files": 3})
    api.patch("/tenant", {"name": "Renamed Co", "language": "ru"})
    api.post("/billing/plan", {"plan": "pro"})


def test_every_event_of_a_busy_tenant_reads_as_its_own_sentence(app, client, signup):
    api, body = signup()
    _busy_tenant(api, client)
    with app.app_context(), context.tenant_scope(_tenant_id(app, body["tenant"]["slug"])):
        events = db.session.scalars(select(Event).order_by(Event.id)).all()
        actions = {event.action for event in events}
        names = load_names(events, currency="RUB")
        sentences = {event.action: SENTENCES[event.action](event, names, "Ada Admin")
                     for event in events}
    # The calls above must have worked, or this test would check little.
    assert len(actions) >= 45, sorted(actions)
    for action, sentence in sentences.items():
        assert sentence and "{" not in sentence and "None" not in sentence, (action, sentence)
        assert "%(" not in sentence and action not in sentence, (action, sentence)
    assert "changed department “Level two”: name: Second line → Level two" in \
        sentences["department.updated"]
    assert sentences["staff.updated"] == (
        "Ada Admin changed Bob Agent: role: Agent → Manager; language: — → Kazakh")
    assert "Customer plan" in sentences["custom_field.created"]
    assert "organization: — → Acme" in sentences["customer.updated"]
    assert "plan: — → paid" in sentences["ticket.fields_changed"] or \
        "Customer plan: — → paid" in sentences["ticket.fields_changed"]
    assert sentences["ticket.tags_changed"].endswith("from — to vip")
    assert "Standard to Pro" in sentences["billing.plan_changed"]
