"""Run in a fresh process with no DATABASE_URL/REDIS_URL: the zero-setup default end to end."""
import email
import re
from pathlib import Path

from flask_migrate import upgrade
from rq import Queue, SimpleWorker

from app import create_app
from app.demo import DEMO_PASSWORD, seed

app = create_app({"WTF_CSRF_ENABLED": False})
assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"), "not on SQLite"
assert app.config["REDIS_URL"].startswith("unix://"), "not on the embedded Redis"
with app.app_context():
    upgrade(revision="heads")
    seed()
client = app.test_client()
assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok", "redis": "ok"}
signup = client.post("/api/v1/signup", json={
    "company_name": "Smoke", "slug": "smoke-co", "admin_name": "Sam",
    "admin_email": "sam@smoke.example", "password": "Smoke-test-pass-1"})
assert signup.status_code == 201, signup.get_json()
assert signup.get_json()["tenant"]["balance"] == "200.00"
token = {"Authorization": "Bearer " + signup.get_json()["token"]}
assert client.post("/api/v1/departments", json={"name": "Sales"}, headers=token).status_code == 201
# SQLite's lower() knows only ASCII; names must still clash case-insensitively in any alphabet.
assert client.post("/api/v1/departments", json={"name": "ÉCOLE"}, headers=token).status_code == 201
clash = client.post("/api/v1/departments", json={"name": "école"}, headers=token)
assert clash.status_code == 409, clash.status_code
names = [d["name"] for d in client.get("/api/v1/departments", headers=token).get_json()["items"]]
assert sorted(names) == ["Sales", "Support", "ÉCOLE"], names
login = client.post("/t/demo/login", data={"email": "admin@demo.example",
                                           "password": DEMO_PASSWORD})
assert login.status_code == 302, login.status_code
page = client.get("/app/departments/").get_data(as_text=True)
assert "Payments" in page and "Sales" in page  # the demo tenant's, not smoke-co's
assert "smoke" not in page.lower()
search = client.get("/api/v1/events", headers=token).get_json()["items"]
assert any(e["action"] == "department.created" for e in search)

# A newcomer's invitation: the letter lands in instance/outbox (no SMTP configured), the link
# opens, the password is chosen, and the new agent logs in. Expiry times read back from
# SQLite are compared with "now" on the way.
sales = next(d["id"] for d in client.get("/api/v1/departments", headers=token).get_json()["items"]
             if d["name"] == "Sales")
invited = client.post("/api/v1/staff", headers=token, json={
    "name": "Ivy Invited", "email": "ivy@smoke.example", "role": "agent",
    "departments": [{"id": sales, "access": "reply"}]})
assert invited.status_code == 201, invited.get_json()
with app.app_context():
    redis = app.extensions["redis"]
    SimpleWorker([Queue("mail", connection=redis)], connection=redis).work(burst=True)
letters = [email.message_from_bytes(path.read_bytes()) for path in
           sorted(Path(app.instance_path, "outbox").glob("*.eml"))]
letter = next(m for m in letters if m["To"] == "ivy@smoke.example")
link = re.search(r"/invite/[\w-]+", letter.get_payload(decode=True).decode()).group(0)
client.post("/logout")
opened = client.get(link)
assert opened.status_code == 200, opened.status_code
assert "Ivy Invited" in opened.get_data(as_text=True)
chosen = client.post(link, data={"password": "Ivy-chooses-42", "confirm": "Ivy-chooses-42"})
assert chosen.status_code == 302, chosen.status_code
client.post("/logout")
ivy = client.post("/t/smoke-co/login", data={"email": "ivy@smoke.example",
                                             "password": "Ivy-chooses-42"})
assert ivy.status_code == 302 and ivy.location.endswith("/app/"), ivy.status_code
assert "Ivy Invited" in client.get("/app/").get_data(as_text=True)
print("embedded smoke ok")
