"""Ratings: 1–5 with a bounded comment, once resolved only; on the ticket page, in the event
log and in per-day figures for reports."""
from datetime import UTC, date, datetime

import time_machine

from app.portal.ratings import MAX_COMMENT, daily_ratings
from tests.conftest import STRONG_PASSWORD
from tests.crosstenant.rules import as_tenant_of
from tests.portal_support import form_token, page, portal_ticket


def _rate(client, url: str, **data):
    token = form_token(page(client, url)[1])
    return client.post(f"{url}/rate", data=data | {"form_token": token})


def _resolved(app, api, **kwargs):
    number, url = portal_ticket(app, api, **kwargs)
    api.patch(f"/tickets/{number}", {"status": "resolved"})
    return number, url


def test_no_rating_before_the_request_is_resolved(app, client, tenant_a):
    number, url = portal_ticket(app, tenant_a)
    assert 'data-testid="rating"' not in page(client, url)[1]
    refused = _rate(client, url, score="5")
    assert refused.status_code == 409
    assert "once it is resolved" in refused.get_data(as_text=True)
    assert tenant_a.get("/events?action=ticket.rated").get_json()["items"] == []


def test_scores_are_1_to_5_and_the_comment_is_bounded(app, client, tenant_a):
    _, url = _resolved(app, tenant_a)
    for bad in ("0", "6", "abc", "", "4.5", "-1"):
        response = _rate(client, url, score=bad, comment="Kept comment")
        assert response.status_code == 422, bad
        html = response.get_data(as_text=True)
        assert "Choose from 1 to 5 stars." in html and "Kept comment" in html
    long = "y" * (MAX_COMMENT + 1)
    response = _rate(client, url, score="4", comment=long)
    assert response.status_code == 422 and long in response.get_data(as_text=True)
    assert _rate(client, url, score="4", comment="y" * MAX_COMMENT).status_code == 302


def test_a_rating_lands_on_the_ticket_and_in_the_event_log(app, client, signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    number, url = _resolved(app, api, subject="Rated one")
    done = _rate(client, url, score="4", comment="Quick, thanks!\n<script>alert(1)</script>")
    assert done.status_code == 302 and "done=rated" in done.location
    html = page(client, done.location)[1]
    assert "Thank you for your rating!" in html and "You rated this request 4 out of 5" in html
    [event] = api.get("/events?action=ticket.rated").get_json()["items"]
    assert event["actor"]["type"] == "customer"
    assert event["data"]["score"] == 4 and event["data"]["comment"].startswith("Quick, thanks!")
    assert _rate(client, url, score="2", comment="Actually it broke").status_code == 302
    staff = app.test_client()
    staff.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                         "password": STRONG_PASSWORD})
    agent_page = staff.get(f"/app/tickets/{number}").get_data(as_text=True)
    assert 'data-testid="customer-rating"' in agent_page
    assert "2 out of 5" in agent_page and "Actually it broke" in agent_page
    assert f"Jane Client rated ticket #{number}: 4 out of 5" in agent_page
    assert f"Jane Client changed the rating of ticket #{number} from 4 to 2" in agent_page
    assert "<script>alert(1)</script>" not in agent_page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in agent_page


def test_ratings_by_day_in_the_companys_time_zone(app, client, signup):
    api, _ = signup()
    assert api.patch("/tenant", {"timezone": "Asia/Almaty"}).status_code == 200  # UTC+5
    moments = [datetime(2031, 3, 1, 20, 0, tzinfo=UTC),  # 2 March in Almaty
               datetime(2031, 3, 2, 9, 0, tzinfo=UTC), datetime(2031, 3, 3, 12, 0, tzinfo=UTC)]
    for moment, score in zip(moments, ("5", "3", "4"), strict=True):
        with time_machine.travel(moment, tick=False):
            _, url = _resolved(app, api)
            assert _rate(client, url, score=score).status_code == 302
    with as_tenant_of(app, api):
        days = daily_ratings(start=date(2031, 3, 1), end=date(2031, 3, 3))
    assert [d["count"] for d in days] == [0, 2, 1]
    assert days[0]["average"] is None
    assert days[1]["average"] == 4.0 and days[1]["scores"][5] == 1 and days[1]["scores"][3] == 1
    assert days[2]["day"] == date(2031, 3, 3) and days[2]["average"] == 4.0
