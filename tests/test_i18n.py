"""Pages and API messages in Russian and Kazakh; tenant default and personal language."""
from tests.conftest import STRONG_PASSWORD, signup_payload


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
