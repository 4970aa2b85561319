"""Knowledge-base search on PostgreSQL, how it is built: typos through the word list of
titles, snippets from a window around the first match, one statement per search through a
function that answers for the transaction's tenant only, row-level security on the search
tables, and indexes without a pending list."""
from sqlalchemy import event, text

from app.extensions import db
from app.kb import search
from tests.conftest import APP_ROLE
from tests.kb_support import article, found, in_tenant

FILLER = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 60  # ~3,400 characters


def test_typos_in_every_word_still_find_the_title(tenant_a):
    article(tenant_a, "Принтер не печатает", "Проверьте кабель.", language="ru")
    article(tenant_a, "Как оплатить счёт", "Картой или переводом.", language="ru")
    assert found(tenant_a, "принтр пичатает")[0] == "Принтер не печатает"
    assert found(tenant_a, "оплатть")[0] == "Как оплатить счёт"
    assert found(tenant_a, "qwzx") == []


def test_typos_keep_to_public_articles_and_the_language(app, tenant_a):
    article(tenant_a, "Конфиденциальные коды доступа", "Только для сотрудников.",
            language="ru", public=False)
    article(tenant_a, "Router lights", "Blinking lights.", language="en")
    assert found(tenant_a, "конфиденциалные")[0] == "Конфиденциальные коды доступа"
    with in_tenant(app, tenant_a) as tenant_id:
        assert search.find(tenant_id, "конфиденциалные") == []
        assert [hit.title for hit in search.find(tenant_id, "routr")] == ["Router lights"]
        assert search.find(tenant_id, "routr", language="ru") == []


def test_the_word_list_follows_titles_and_stays_in_its_tenant(app, tenant_a, tenant_b):
    made = article(tenant_a, "Router lights", "Blinking lights.")
    tenant_a.patch(f"/kb/articles/{made['id']}", {"title": "Modem lights"})
    article(tenant_b, "Unicorn stables", "Hay.")
    assert found(tenant_a, "modm") == ["Modem lights"]
    assert found(tenant_a, "unicrn") == []
    assert found(tenant_b, "unicrn") == ["Unicorn stables"]
    with in_tenant(app, tenant_a) as tenant_id:
        words = set(db.session.scalars(text(
            "SELECT word FROM kb_search_words WHERE tenant_id = :t"), {"t": tenant_id}))
    assert {"modem", "lights", "router"} <= words and "unicorn" not in words


def test_a_snippet_marks_a_match_deep_in_a_long_text(tenant_a):
    article(tenant_a, "Long read", FILLER + "Finally the printer wakes up. " + FILLER)
    item = tenant_a.get("/kb/search", query_string={"q": "printer"}).get_json()["items"][0]
    assert "<mark>printer</mark>" in item["snippet"]
    assert len(item["snippet"]) < 400
    words = set(FILLER.replace(".", "").replace(",", "").split()) | {"Finally", "the", "printer"}
    first = item["snippet"].replace("<mark>", "").replace("</mark>", "").split()[0]
    assert first.strip(".,") in words  # a whole word, never the tail of one


def test_a_snippet_of_a_title_match_is_the_start_of_the_text(tenant_a):
    article(tenant_a, "Scanner setup", "Plug it in and wait for the light.")
    item = tenant_a.get("/kb/search", query_string={"q": "scanner"}).get_json()["items"][0]
    assert item["snippet"] == "Plug it in and wait for the light."


def test_stop_words_and_symbols_find_nothing_without_an_error(app, tenant_a):
    article(tenant_a, "The printer", "And then it prints.")
    with in_tenant(app, tenant_a) as tenant_id:
        for query in ("the and of", "и в на", "_ _ _", "the" * 200):
            assert search.find(tenant_id, query) == []
            assert search.find(tenant_id, query, language="en") == []
        assert search.find(tenant_id, "!!! ... ???") == []


def test_a_search_is_one_statement(app, tenant_a):
    article(tenant_a, "Printer cable check", "Check the printer cable.")
    with in_tenant(app, tenant_a) as tenant_id:
        db.session.execute(text("SELECT 1"))  # the request's transaction has begun
        sent = []

        def count(conn, cursor, statement, *args):
            if not statement.startswith("SET ROLE"):
                sent.append(statement)

        connection = db.session.connection()
        event.listen(connection, "before_cursor_execute", count)
        try:
            for query in ("printer cable", "cable zebra", "printr", "print"):
                sent.clear()
                assert search.find(tenant_id, query), query
                assert len(sent) == 1, (query, sent)
        finally:
            event.remove(connection, "before_cursor_execute", count)


def test_the_search_function_answers_for_the_transactions_tenant_only(app, tenant_a,
                                                                     tenant_b):
    article(tenant_b, "Unicorn stables", "Hay for unicorns.")
    find = text("SELECT hit FROM kb_search_find(ARRAY['unicorn'], NULL, true, 10)")
    with in_tenant(app, tenant_b):
        assert len(db.session.scalars(find).all()) == 1
    with in_tenant(app, tenant_a):
        assert db.session.scalars(find).all() == []


def test_the_search_tables_show_the_application_role_its_tenant_only(app, tenant_a,
                                                                      tenant_b):
    article(tenant_a, "Printer lights", "Blinking.")
    article(tenant_b, "Unicorn stables", "Hay.")
    with in_tenant(app, tenant_a) as tenant_id:
        assert db.session.scalar(text("SELECT current_user")) == APP_ROLE
        for table in ("kb_search", "kb_search_text", "kb_search_words"):
            tenants = set(db.session.scalars(text(f"SELECT DISTINCT tenant_id FROM {table}")))
            assert tenants == {tenant_id}, table
        assert db.session.scalar(text(
            "SELECT count(*) FROM kb_search_words WHERE word = 'unicorn'")) == 0


def test_a_typo_marks_the_word_it_was_taken_for(tenant_a):
    article(tenant_a, "Принтер не печатает", "Если принтер не печатает, проверьте кабель.",
            language="ru")
    item = tenant_a.get("/kb/search", query_string={"q": "принтр"}).get_json()["items"][0]
    assert "<mark>принтер</mark>" in item["snippet"]


def test_search_indexes_have_no_pending_list(app, app_ctx):
    options = dict(db.session.execute(text(
        "SELECT c.relname, array_to_string(c.reloptions, ',') FROM pg_class c "
        "JOIN pg_am am ON am.oid = c.relam WHERE am.amname = 'gin' "
        "AND c.relname LIKE 'ix_kb_search%'")).all())
    assert set(options) == {"ix_kb_search_text_document", "ix_kb_search_title_document",
                            "ix_kb_search_words_word"}
    assert all("fastupdate=off" in (value or "") for value in options.values()), options


def _many(tenant_id: int, title: str, count: int, language: str = "en") -> None:
    """``count`` published articles titled ``title`` and a number, the last the newest."""
    db.session.execute(text(
        "INSERT INTO kb_articles (tenant_id, title, body_markdown, body_html, body_text, public,"
        " draft, language, featured, views, helpful_yes, helpful_no, created_at, updated_at)"
        " SELECT :tenant, :title || ' ' || n, 'Text.', '<p>Text.</p>', 'Text.', true, false,"
        " :language, false, 0, 0, 0, now(), now() FROM generate_series(1, :count) AS n"),
        {"tenant": tenant_id, "title": title, "count": count, "language": language})


def test_a_frequent_word_is_ranked_among_the_newest_titles(app, tenant_a):
    with in_tenant(app, tenant_a) as tenant_id:
        _many(tenant_id, "Printer", 400)
        _many(tenant_id, "Принтер printer", 5, language="ru")
        newest = [f"Printer {n}" for n in range(400, 390, -1)]
        # The index would give the first 300 it holds; the newest titles hold all 400.
        assert [hit.title for hit in search.find(tenant_id, "printer", language="en")] == newest
        # In Russian the newest titles hold too few: the index is asked, and has them all.
        russian = search.find(tenant_id, "printer", language="ru")
        assert sorted(hit.title for hit in russian) == [f"Принтер printer {n}"
                                                        for n in range(1, 6)]
        assert len(search.find(tenant_id, "printr", language="en")) == 10
