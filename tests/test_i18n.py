"""Pages and API messages in Russian and Kazakh; tenant default and personal language;
money, dates and counts as each language writes them."""
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from app.money import format_money
from tests.conftest import STRONG_PASSWORD, signup_payload

ROOT = Path(__file__).resolve().parents[1]


def test_signup_page_in_russian_and_kazakh(client):
    assert "Создайте свою службу поддержки" in client.get("/signup?lang=ru").get_data(as_text=True)
    assert "Қолдау қызметіңізді құрыңыз" in client.get("/signup?lang=kk").get_data(as_text=True)
    assert "Create your help desk" in client.get("/signup?lang=en").get_data(as_text=True)


def test_accept_language_is_used_for_visitors(client):
    page = client.get("/signup", headers={"Accept-Language": "kk,ru;q=0.8"})
    assert "Қолдау қызметіңізді құрыңыз" in page.get_data(as_text=True)


def test_dashboard_follows_the_tenant_language_and_money_format(client):
    body = client.post("/api/v1/signup", json=signup_payload(language="ru")).get_json()
    slug = body["tenant"]["slug"]
    client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                          "password": STRONG_PASSWORD})
    page = client.get("/app/").get_data(as_text=True)
    assert "Баланс" in page
    assert "200,00\xa0₽" in page
    departments = client.get("/app/departments/").get_data(as_text=True)
    assert "Поддержка" in departments  # the default department is named in Russian


def test_staff_member_language_overrides_the_tenant(client, tenant_a):
    slug = tenant_a.get("/tenant").get_json()["slug"]
    tenant_a.post("/staff", {"name": "Kazakh Agent", "email": "kk@x.example", "role": "agent",
                             "password": STRONG_PASSWORD, "language": "kk"})
    client.post(f"/t/{slug}/login", data={"email": "kk@x.example", "password": STRONG_PASSWORD})
    assert "Теңгерім" in client.get("/app/").get_data(as_text=True)


def test_api_validation_messages_follow_accept_language(client):
    response = client.post("/api/v1/signup", json=signup_payload(password="short"),
                           headers={"Accept-Language": "ru"})
    assert "не менее 10 символов" in response.get_json()["error"]["fields"]["password"]


# --- Money, dates and counts: one format per language, plural forms through ngettext ---

def _admin_page(client, signup, language: str, **tenant) -> tuple:
    api, body = signup(language=language)
    slug = body["tenant"]["slug"]
    if tenant:
        assert api.patch("/tenant", tenant).status_code == 200
    client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                          "password": STRONG_PASSWORD})
    return api, slug


@pytest.mark.parametrize("language, balance", [("en", "RUB\xa0200.00"), ("ru", "200,00\xa0₽"),
                                               ("kk", "200,00\xa0₽")])
def test_money_has_a_space_between_amount_and_currency(client, signup, language, balance):
    _admin_page(client, signup, language)
    assert balance in client.get("/app/").get_data(as_text=True)
    assert balance in client.get("/app/billing/").get_data(as_text=True)


def test_format_money_keeps_letter_symbols_apart_from_digits():
    assert format_money(20000, "RUB", "en") == "RUB\xa0200.00"
    assert format_money(-123456, "KZT", "en") == "-KZT\xa01,234.56"
    assert format_money(20000, "USD", "en") == "$200.00"  # a sign symbol stays attached
    assert format_money(20000, "KZT", "kk") == "200,00\xa0₸"


@pytest.mark.parametrize("language, pattern", [
    ("en", "%-d %b %Y, %H:%M"), ("ru", "%d.%m.%Y %H:%M"), ("kk", "%d.%m.%Y %H:%M")])
def test_dates_have_one_format_per_language_in_the_tenant_time_zone(client, signup, language,
                                                                   pattern):
    api, _slug = _admin_page(client, signup, language, timezone="Europe/Moscow")
    created = api.post("/tickets", {"subject": "When", "requester": {"email": "w@x.example"}})
    number = created.get_json()["number"]
    moment = datetime.fromisoformat(created.get_json()["created_at"])
    expected = moment.astimezone(ZoneInfo("Europe/Moscow")).strftime(pattern)
    page = client.get(f"/app/tickets/{number}").get_data(as_text=True)
    assert expected in page  # the conversation, the header and the history all use it
    assert not re.search(r"\d+/\d+/\d\d,|\d\d\.\d\d\.\d{2,4}, \d", page)  # Babel's "short"
    shape = {"en": r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d"}.get(
        language, r"\d\d\.\d\d\.\d{4} \d\d:\d\d")
    log = client.get("/app/events/").get_data(as_text=True)
    assert re.search(f"<td class=\"nowrap\">{shape}</td>", log)


def test_templates_show_dates_only_through_the_date_filters():
    offenders = []
    for path in (ROOT / "app" / "templates").rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            line = re.sub(r'datetime="[^"]*"', "", line)  # machine-readable <time> attributes
            if re.search(r"datetimeformat|dateformat|strftime|isoformat\(\)|\|string\b.*day",
                         line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert not offenders, offenders


def test_counts_with_nouns_go_through_ngettext():
    """A gettext message with a count followed by a word ("%(n)d tickets") reads "1 tickets"
    in English and wrongly in Russian; ngettext picks the form."""
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}
    count_then_word = re.compile(r"(?<!#)%\(\w+\)d\s+[a-z]")
    found = [f"{name}:{line}: {message}" for name, line, message, _c, _x in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords)
        if isinstance(message, str) and count_then_word.search(message)]
    assert not found, found


def _delete_refusal(api, department_id: int) -> str:
    response = api.delete(f"/departments/{department_id}")
    assert response.status_code == 409
    return response.get_json()["error"]["message"]


def test_plural_forms_in_english_and_russian(signup):
    english, _body = signup()
    department_id = english.post("/departments", {"name": "Desk"}).get_json()["id"]
    english.post("/tickets", {"subject": "a", "requester": {"email": "a@x.example"},
                              "department_id": department_id})
    assert "is used by 1 ticket; move it" in _delete_refusal(english, department_id)

    russian, _body = signup(language="ru")
    department_id = russian.post("/departments", {"name": "Касса"}).get_json()["id"]
    expected = {1: "1 заявка;", 2: "2 заявки;", 5: "5 заявок;"}
    created = 0
    for count, words in expected.items():
        while created < count:
            russian.post("/tickets", {"subject": "b", "requester": {"email": "b@x.example"},
                                      "department_id": department_id})
            created += 1
        assert words in _delete_refusal(russian, department_id)


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ["45 min", "3 hr 20 min", "2 days 4 hr", "1 day"]),
    ("ru", ["45 мин", "3 ч 20 мин", "2 дн. 4 ч", "1 дн."]),
    ("kk", ["45 мин", "3 сағ 20 мин", "2 күн 4 сағ", "1 күн"]),
])
def test_durations_read_in_each_language(app, language, expected):
    from flask_babel import force_locale

    from app.formatting import duration

    with app.test_request_context(), force_locale(language):
        shown = [duration(s) for s in (45 * 60, 200 * 60, (52 * 60) * 60, 24 * 3600)]
    assert shown == expected
    assert duration(None) == "—"


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_message_is_translated_in_every_plural_form(language):
    """An empty plural form falls back to English for the numbers it covers (Russian's
    "5 views"), and a fuzzy entry is not compiled at all."""
    from babel.messages.pofile import read_po

    path = ROOT / "app" / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        forms = message.string if message.pluralizable else (message.string,)
        if message.fuzzy or len(forms) != (catalog.num_plurals if message.pluralizable
                                            else 1) or not all(forms):
            missing.append(message.id)
    assert not missing, f"{len(missing)} messages not fully translated: {missing[:5]}"
