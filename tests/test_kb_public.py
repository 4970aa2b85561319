"""The public knowledge base: pages, 404s, the canonical address, caching, the sitemap, no
internal article anywhere, reader comments and votes, and the counted views."""
from app.extensions import db
from app.kb import jobs, popularity
from app.kb.figures import figures_between, tenant_today
from app.kb.models import Article
from tests.kb_support import article, category, in_tenant, slug_of


def _site(api):
    slug = slug_of(api)
    cat = category(api, "Getting started", description="First steps")
    shown = article(api, "Printer setup", "Plug the **printer** in.", category_id=cat["id"],
                    featured=True)
    hidden = article(api, "Internal printer codes", "Service code 1234.", public=False)
    draft = article(api, "Unfinished printer notes", "Draft.", draft=True)
    return slug, cat, shown, hidden, draft


def test_home_category_and_article_pages(client, tenant_a):
    slug, cat, shown, hidden, draft = _site(tenant_a)
    home = client.get(f"/kb/{slug}/")
    html = home.get_data(as_text=True)
    assert home.status_code == 200
    assert "Printer setup" in html and "Getting started" in html
    assert "Internal printer codes" not in html and "Unfinished" not in html
    assert f'<link rel="canonical" href="http://127.0.0.1:5000/kb/{slug}/">' in html or \
        f'/kb/{slug}/">' in html
    page = client.get(f"/kb/{slug}/getting-started/")
    assert page.status_code == 200 and "Printer setup" in page.get_data(as_text=True)
    got = client.get(shown["url"])
    text = got.get_data(as_text=True)
    assert got.status_code == 200
    assert "<title>Printer setup · " in text
    assert '<meta name="description" content="Plug the printer in.">' in text
    assert "<strong>printer</strong>" in text
    assert 'rel="canonical"' in text and shown["url"] in text
    assert '<html lang="en">' in text


def test_unknown_addresses_and_internal_articles_are_404(client, tenant_a):
    slug, cat, shown, hidden, draft = _site(tenant_a)
    assert client.get("/kb/no-such-company-here/").status_code == 404
    assert client.get(f"/kb/no-such-company-here/a/{shown['id']}").status_code == 404
    assert client.get(hidden["url"]).status_code == 404
    assert client.get(draft["url"]).status_code == 404
    assert client.get(f"/kb/{slug}/a/987654321-nothing").status_code == 404
    assert client.get(f"/kb/{slug}/no-such-category/").status_code == 404
    empty = category(tenant_a, "Empty")
    assert client.get(f"/kb/{slug}/{empty['slug']}/").status_code == 404
    assert client.post(f"/kb/{slug}/a/{hidden['id']}/vote",
                       data={"helpful": "yes"}).status_code == 404


def test_wrong_words_redirect_to_the_canonical_address(client, tenant_a):
    slug, _cat, shown, _hidden, _draft = _site(tenant_a)
    for wrong in (f"/kb/{slug}/a/{shown['id']}", f"/kb/{slug}/a/{shown['id']}-old-title"):
        response = client.get(wrong)
        assert response.status_code == 301
        assert response.headers["Location"].endswith(shown["url"])


def test_pages_are_cacheable_with_etags(client, tenant_a):
    _slug, _cat, shown, _hidden, _draft = _site(tenant_a)
    first = client.get(shown["url"])
    etag = first.headers["ETag"]
    assert "public" in first.headers["Cache-Control"] and "Set-Cookie" not in first.headers
    again = client.get(shown["url"], headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    tenant_a.patch(f"/kb/articles/{shown['id']}", {"body_markdown": "Changed."})
    changed = client.get(shown["url"], headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_sitemap_lists_published_articles_only(client, tenant_a):
    slug, _cat, shown, hidden, draft = _site(tenant_a)
    response = client.get(f"/kb/{slug}/sitemap.xml")
    xml = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert f"<loc>http://127.0.0.1:5000{shown['url']}</loc>" in xml
    assert f"/kb/{slug}/getting-started/</loc>" in xml
    # an article's address is /a/<id>-<slug> (the tenant's own slug may hold "<id>-" too)
    assert f"/a/{hidden['id']}-" not in xml and f"/a/{draft['id']}-" not in xml
    assert client.get("/kb/nobody-at-all/sitemap.xml").status_code == 404


def test_public_search_shows_published_articles_with_marks(client, tenant_a):
    slug, *_ = _site(tenant_a)
    html = client.get(f"/kb/{slug}/search?q=printers").get_data(as_text=True)
    assert "Printer setup" in html and "<mark>" in html
    assert "Internal printer codes" not in html and "Unfinished" not in html
    assert client.get(f"/kb/{slug}/search?q=" + "x" * 10_000).status_code == 200
    assert client.get(f"/kb/{slug}/search?q=%3F%21%2C").status_code == 200


def test_comments_are_held_for_moderation_and_shown_inert(client, tenant_a):
    _slug, _cat, shown, _hidden, _draft = _site(tenant_a)
    comments = shown["url"].split("/a/")[0] + f"/a/{shown['id']}/comments"
    posted = client.post(comments, data={"name": "Eve", "body": "<script>alert(1)</script>"})
    assert posted.status_code == 303 and posted.headers["Location"].endswith("#comments")
    assert "alert(1)" not in client.get(shown["url"]).get_data(as_text=True)
    pending = tenant_a.get("/kb/comments?status=pending").get_json()["items"]
    tenant_a.post(f"/kb/comments/{pending[0]['id']}/approve")
    html = client.get(shown["url"]).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    robot = client.post(comments, data={"name": "Bot", "body": "spam", "website": "x"})
    assert robot.status_code == 303
    assert len(tenant_a.get("/kb/comments").get_json()["items"]) == 1
    refused = client.post(comments, data={"name": "", "body": "Kept words"})
    assert refused.status_code == 422
    assert "Kept words" in refused.get_data(as_text=True)


def test_comments_are_rate_limited(app, client, tenant_a):
    _slug, _cat, shown, _hidden, _draft = _site(tenant_a)
    comments = shown["url"].split("/a/")[0] + f"/a/{shown['id']}/comments"
    app.config["KB_COMMENT_RATE_LIMIT"] = "2 per hour"
    try:
        codes = [client.post(comments, data={"name": "R", "body": f"c{i}"}).status_code
                 for i in range(3)]
    finally:
        app.config.pop("KB_COMMENT_RATE_LIMIT")
    assert codes == [303, 303, 429]


def test_votes_count_on_the_article_and_in_the_figures(app, client, tenant_a):
    _slug, _cat, shown, _hidden, _draft = _site(tenant_a)
    vote = shown["url"].split("/a/")[0] + f"/a/{shown['id']}/vote"
    assert client.post(vote, data={"helpful": "yes"}).status_code == 303
    assert client.post(vote, data={"helpful": "no", "comment": "Step 2 is wrong"}) \
        .status_code == 303
    assert client.post(vote, data={"helpful": "maybe"}).status_code == 400
    assert client.post(vote, data={"helpful": "yes", "website": "bot"}).status_code == 303
    got = tenant_a.get(f"/kb/articles/{shown['id']}").get_json()
    assert (got["helpful_yes"], got["helpful_no"]) == (1, 1)
    thanks = client.get(shown["url"] + "?done=vote")
    assert "Thank you for your answer!" in thanks.get_data(as_text=True)
    assert thanks.headers["Cache-Control"] == "no-store"
    with in_tenant(app, tenant_a) as tenant_id:
        today = tenant_today(tenant_id)
        figures = figures_between(today, today)[today]
    assert (figures["helpful_yes"], figures["helpful_no"]) == (1, 1)


def test_views_are_counted_in_redis_and_flushed_once(app, client, tenant_a):
    _slug, _cat, shown, _hidden, _draft = _site(tenant_a)
    for _ in range(3):
        assert client.get(shown["url"]).status_code == 200
    with in_tenant(app, tenant_a) as tenant_id:
        assert db.session.get(Article, shown["id"]).views == 0  # no write per view
        redis = app.extensions["redis"]
        assert redis.hget(popularity.PENDING.format(tenant_id), str(shown["id"])) == b"3"
    with app.app_context():
        assert jobs.flush_views_job() >= 3
    assert tenant_a.get(f"/kb/articles/{shown['id']}").get_json()["views"] == 3
    with app.app_context():
        jobs.flush_views_job()  # nothing new: nothing added
    assert tenant_a.get(f"/kb/articles/{shown['id']}").get_json()["views"] == 3
    home = client.get(shown["url"].split("/a/")[0] + "/").get_data(as_text=True)
    assert "Printer setup" in home


def test_a_batch_left_by_a_dead_worker_is_not_added_twice(app, client, tenant_a):
    _slug, _cat, shown, _hidden, _draft = _site(tenant_a)
    client.get(shown["url"])
    with in_tenant(app, tenant_a) as tenant_id:
        redis = app.extensions["redis"]
        flushing = popularity.FLUSHING.format(tenant_id)
        assert popularity.flush_tenant(tenant_id) == 1
        leftover = redis.hgetall(flushing)  # as a worker that died after its commit left it
        db.session.commit()
        assert not redis.exists(flushing)
        redis.hset(flushing, mapping=leftover)
        redis.sadd(popularity.WITH_FLUSHING, tenant_id)
    with app.app_context():
        jobs.flush_views_job()
    assert tenant_a.get(f"/kb/articles/{shown['id']}").get_json()["views"] == 1
    assert not app.extensions["redis"].exists(flushing)
