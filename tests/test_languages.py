"""The languages are defined once (app/languages.py): forms, API validation, the locale
selector, date formats and event sentences take them from there."""
import re
from pathlib import Path
from typing import get_args

from app.languages import INFO, LANGUAGE_CHOICES, LANGUAGES, Language
from tests.conftest import STRONG_PASSWORD, signup_payload

ROOT = Path(__file__).resolve().parents[1]
# A language code written as a literal: "kk", 'kk' — or a list of codes such as ("ru", "en").
LITERAL = re.compile(r"""(["'])kk\1|(["'])(en|ru)\2\s*[,:]\s*(["'])(en|ru)\4""")


def test_one_definition_covers_every_language():
    assert LANGUAGES == get_args(Language) == tuple(INFO)
    assert [code for code, _label in LANGUAGE_CHOICES] == list(LANGUAGES)
    assert {"en", "ru", "kk"} <= set(LANGUAGES)


def test_no_other_module_or_template_spells_the_list_out():
    found = []
    for top in ("app", "billing", "integrations", "tenants", "static"):
        for path in (ROOT / top).rglob("*"):
            if path.suffix not in (".py", ".html", ".js") or "translations" in path.parts:
                continue
            if path == ROOT / "app" / "languages.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if LITERAL.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "use app/languages.py instead:\n" + "\n".join(found)


def test_labels_name_each_language_in_itself_and_in_the_page_language(client):
    english = client.get("/signup?lang=en").get_data(as_text=True)
    assert ">English</option>" in english
    assert ">Русский (Russian)</option>" in english and ">Қазақша (Kazakh)</option>" in english
    russian = client.get("/signup?lang=ru").get_data(as_text=True)
    assert ">Русский</option>" in russian  # a page's own language needs no second name
    for code in LANGUAGES:  # the locale selector offers each, named in the title
        assert f'href="?lang={code}" hreflang="{code}"' in english


def test_the_api_takes_exactly_the_defined_codes(client):
    for code in LANGUAGES:
        response = client.post("/api/v1/signup", json=signup_payload(language=code))
        assert response.status_code == 201, (code, response.get_json())
    refused = client.post("/api/v1/signup", json=signup_payload(language="de"))
    assert refused.status_code == 422 and "language" in refused.get_json()["error"]["fields"]
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert schema["SignupIn"]["properties"]["language"]["enum"] == list(LANGUAGES)


def test_a_staff_members_language_is_checked_against_the_same_list(tenant_a):
    made = tenant_a.post("/staff", {"name": "K", "email": "k@x.example", "language": "kk",
                                    "password": STRONG_PASSWORD})
    assert made.status_code == 201 and made.get_json()["language"] == "kk"
    bad = tenant_a.patch(f"/staff/{made.get_json()['id']}", {"language": "xx"})
    assert bad.status_code == 422 and "language" in bad.get_json()["error"]["fields"]
