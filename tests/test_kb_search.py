"""Knowledge-base search on PostgreSQL: word forms in Russian and English, typos, ranking,
safe snippets, what the public sees, and ``suggest`` for the widget and the portal."""
from app.kb import search
from tests.kb_support import article, found, in_tenant, slug_of


def _library(api):
    article(api, "Принтер не печатает", "Если принтер не печатает, проверьте кабель и "
            "перезапустите очередь печати.", language="ru")
    article(api, "Как оплатить счёт", "Счета оплачиваются картой или переводом.",
            language="ru")
    article(api, "Printers and drivers", "Install the printer drivers before printing.",
            language="en")
    article(api, "Resetting your password", "Use the reset link we send by e-mail.",
            language="en")
    article(api, "Внутренняя инструкция по принтерам", "Только для сотрудников: сервисный "
            "пароль принтера.", language="ru", public=False)


def test_word_forms_in_russian_and_english(tenant_a):
    _library(tenant_a)
    assert "Принтер не печатает" in found(tenant_a, "принтеры")
    assert "Принтер не печатает" in found(tenant_a, "принтера печатают")
    assert found(tenant_a, "оплата счетов")[0] == "Как оплатить счёт"
    assert found(tenant_a, "printing")[0] == "Printers and drivers"
    assert found(tenant_a, "passwords reset")[0] == "Resetting your password"
    assert found(tenant_a, "zebra unicorn") == []


def test_a_typo_still_finds_the_title(tenant_a):
    _library(tenant_a)
    assert found(tenant_a, "принтр")[0] == "Принтер не печатает"
    assert "Resetting your password" in found(tenant_a, "pasword")


def test_language_filter(tenant_a):
    _library(tenant_a)
    assert found(tenant_a, "printer", language="en") == ["Printers and drivers"]
    assert "Printers and drivers" not in found(tenant_a, "принтер", language="ru")


def test_every_word_ranks_above_any_word(tenant_a):
    article(tenant_a, "Cable check", "Check the cable.")
    article(tenant_a, "Printer cable check", "Check the printer cable.")
    titles = found(tenant_a, "printer cable")
    assert titles[0] == "Printer cable check" and "Cable check" in titles


def test_snippets_are_escaped_but_marked(tenant_a):
    article(tenant_a, "Escaping", "Type <script>alert(1)</script> & a <b>tag</b>: "
            "the printer shows it as text.")
    item = tenant_a.get("/kb/search?q=printer").get_json()["items"][0]
    assert "<mark>printer</mark>" in item["snippet"]
    assert "<script>" not in item["snippet"] and "<b>" not in item["snippet"]
    assert "&amp;" in item["snippet"]


def test_staff_see_internal_articles_the_public_does_not(app, tenant_a):
    _library(tenant_a)
    assert "Внутренняя инструкция по принтерам" in found(tenant_a, "сервисный пароль")
    with in_tenant(app, tenant_a) as tenant_id:
        public = [hit.title for hit in search.find(tenant_id, "сервисный пароль")]
        suggested = search.suggest(tenant_id, "принтеры", "ru")
    assert "Внутренняя инструкция по принтерам" not in public
    assert suggested and suggested[0]["title"] == "Принтер не печатает"
    assert set(suggested[0]) == {"id", "title", "url", "snippet"}
    assert suggested[0]["url"].startswith(f"/kb/{slug_of(tenant_a)}/a/{suggested[0]['id']}-")
    assert all("Внутренняя" not in s["title"] for s in suggested)


def test_suggest_falls_back_to_every_language_and_bounds(app, tenant_a):
    _library(tenant_a)
    with in_tenant(app, tenant_a) as tenant_id:
        assert search.suggest(tenant_id, "drivers", "ru")[0]["title"] == "Printers and drivers"
        assert search.suggest(tenant_id, "drivers", "xx")[0]["title"] == "Printers and drivers"
        assert search.suggest(tenant_id, "x" * 10_000, None) == []
        assert search.suggest(tenant_id, "!!! ... ???", None) == []
        assert len(search.suggest(tenant_id, "принтер printer", None, limit=2)) == 2


def test_drafts_are_not_public_and_edits_are_reindexed(app, tenant_a):
    made = article(tenant_a, "Router lights", "Blinking lights.", draft=True)
    with in_tenant(app, tenant_a) as tenant_id:
        assert search.suggest(tenant_id, "router", None) == []
    tenant_a.patch(f"/kb/articles/{made['id']}", {"draft": False, "title": "Modem lights"})
    with in_tenant(app, tenant_a) as tenant_id:
        assert [s["title"] for s in search.suggest(tenant_id, "modem", None)] == ["Modem lights"]
        assert search.suggest(tenant_id, "router", None) == []
