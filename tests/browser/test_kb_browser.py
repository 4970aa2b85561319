"""The knowledge base in a real browser: the admin writes an article with a server-side
preview; a reader without JavaScript reads it on a phone, votes and comments; an agent links
it from the reply box at 390 px and sends the reply."""
import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.kb import service as kb
from tests.browser.conftest import screenshot
from tests.browser.test_phone_layout import assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.real_commits]


def _published(company, title: str, body: str) -> str:
    from app.staff.models import Staff

    def make():
        admin = db.session.get(Staff, company.admin_id)
        article = kb.create_article(actor=admin, title=title, body_markdown=body,
                                    public=True, language="en")
        return f"/kb/{company.slug}/a/{article.id}-" + title.lower().replace(" ", "-")

    return company.run(make)


def test_admin_writes_an_article_with_a_preview(page, company):
    company.login(page)
    page.goto("/app/kb/")
    page.get_by_role("link", name="New article").click()
    page.fill("input[name=title]", "Resetting the router")
    page.fill("textarea[name=body_markdown]", "Hold **reset** for 10 seconds.\n\n<b>not bold</b>")
    page.get_by_test_id("preview").click()
    preview = page.get_by_test_id("preview-body")
    expect(preview.locator("strong")).to_have_text("reset")
    expect(preview).to_contain_text("<b>not bold</b>")  # raw HTML stays text
    expect(page.locator("textarea[name=body_markdown]")).to_have_value(
        "Hold **reset** for 10 seconds.\n\n<b>not bold</b>")  # nothing typed is lost
    page.check("input[name=public]")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash-success")).to_contain_text("Article saved.")
    link = page.get_by_test_id("public-link")
    expect(link).to_be_visible()
    screenshot(page, "kb-editor")
    page.set_viewport_size({"width": 390, "height": 844})
    for address in ("/app/kb/", "/app/kb/categories", "/app/kb/comments", page.url):
        page.goto(address)
        assert_fits(page, address)


def test_a_reader_without_javascript_votes_and_comments_on_a_phone(browser, live_server,
                                                                    company):
    url = _published(company, "Printer offline", "Check the **cable**.")
    context = browser.new_context(base_url=live_server, java_script_enabled=False,
                                  viewport={"width": 390, "height": 844})
    reader = context.new_page()
    try:
        reader.goto(url)
        expect(reader).to_have_title(f"Printer offline · Company {company.slug}")
        expect(reader.locator(".kb-body strong")).to_have_text("cable")
        assert_fits(reader, url)
        screenshot(reader, "kb-article-phone")
        reader.fill("#vote textarea[name=comment]", "Clear, thanks")
        reader.get_by_role("button", name="Yes, it helped").click()
        expect(reader.locator("#vote")).to_contain_text("Thank you for your answer!")
        reader.fill("input[name=name]", "Rita Reader")
        reader.fill("#comments textarea[name=body]", "<i>Worked</i> for me")
        reader.get_by_role("button", name="Send for review").click()
        expect(reader.locator("#comments")).to_contain_text("will appear once it is approved")
        reader.goto(f"/kb/{company.slug}/search?q=cables")
        expect(reader.locator(".kb-hits a")).to_have_text("Printer offline")
        expect(reader.locator(".kb-hits mark").first).to_have_text("cable")
        assert_fits(reader, "search")
    finally:
        context.close()


def test_an_agent_links_an_article_from_the_reply_box_at_390px(page, company):
    from app.tickets import service as tickets

    url = _published(company, "Invoice copies", "Open Billing, then Invoices.")
    number = company.run(lambda: tickets.create_ticket(
        actor=None, channel="widget", subject="Need my invoice", body="Where is it?",
        requester_email="client@client.example", requester_name="Cleo").number)
    page.set_viewport_size({"width": 390, "height": 844})
    company.login(page)
    page.goto(f"/app/tickets/{number}")
    picker = page.locator("input[name=kb_q]")
    picker.fill("invoice")
    page.locator("#kb-picker-results button", has_text="Invoice copies").click()
    editor = page.locator("#composer .editor")
    expect(editor).to_contain_text(url)
    assert_fits(page, "ticket with the picker")
    page.locator("#composer [data-send]").click()
    expect(page.locator(".conversation")).to_contain_text(url)
    save = page.get_by_test_id("save-as-article").last
    save.click()
    expect(page.locator("input[name=title]")).to_have_value("Need my invoice")
    expect(page.locator("input[name=draft]")).to_be_checked()
