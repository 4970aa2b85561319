"""Letters in the reader's language: the widget visitor's language (remembered for the
letters that follow), the company's for a request that came another way, a staff member's
own — in English, Russian and Kazakh, defaults and a company's own wording alike."""
from tests.letters_support import deliver, html_of, text_of, to_of
from tests.test_tickets_support import add_staff, department, make_pro, new_ticket
from tests.widget_support import Site, complete_requests

DEFAULTS = {
    "en": ("Request received: Printer jams", "We have received your request #1"),
    "ru": ("Обращение получено: Printer jams", "Мы получили ваше обращение №1"),
    "kk": ("Өтініш алынды: Printer jams", "Біз сіздің №1"),
}


def _receipt_in(app, api, language: str):
    site = Site(api).allow()
    response = site.post(query=f"?language={language}")
    assert response.status_code == 201, response.get_json()
    complete_requests(app)  # the ticket is made right after the commit, with its receipt
    [letter] = [m for m in deliver(app) if to_of(m) == "bob@client.example"]
    return letter, response.get_json()["status_url"]


def test_the_receipt_speaks_the_widget_visitors_language(app, signup):
    for language, (subject, sentence) in DEFAULTS.items():
        api, _ = signup()
        letter, link = _receipt_in(app, api, language)
        assert letter["Subject"] == f"[#1] {subject}", language
        assert letter["Content-Language"] == language
        assert sentence in text_of(letter) and link in text_of(letter)
        assert f'lang="{language}"' in html_of(letter)


def test_later_letters_follow_the_language_the_requester_wrote_in(app, tenant_a):
    tenant_a.call("PUT", "/letters/reply?language=kk", {
        "subject": "Жауап: {{ticket.subject}}",
        "body": "<p>Құрметті {{customer.name}},</p>{{reply.body}}<p>{{company.name}}</p>"})
    _receipt_in(app, tenant_a, "kk")
    tenant_a.post("/tickets/1/messages", {"body": "Қағазды тексеріңіз.", "internal": False})
    [letter] = deliver(app)
    assert letter["Subject"] == "[#1] Жауап: Printer jams"
    assert "Құрметті Bob Buyer," in text_of(letter) and "Қағазды тексеріңіз." in text_of(letter)


def test_a_request_from_elsewhere_gets_the_companys_language(app, signup):
    api, _ = signup(language="ru")
    new_ticket(api)
    [letter] = deliver(app)
    assert letter["Content-Language"] == "ru"
    assert letter["Subject"] == "[#1] Обращение получено: Printer on fire"


def test_staff_read_their_letters_in_their_own_language(app, client, tenant_a):
    make_pro(app, tenant_a)
    sales = department(tenant_a, "Sales")
    _agent, member = add_staff(tenant_a, client, name="Айгүл Сатушы",
                               email="aigul@staff.example", access={sales: "reply"})
    assert tenant_a.patch(f"/staff/{member['id']}", {"language": "kk"}).status_code == 200
    new_ticket(tenant_a, department_id=sales)
    [staff_letter] = [m for m in deliver(app) if to_of(m) == "aigul@staff.example"]
    assert staff_letter["Subject"] == "[#1] Жаңа өтінім: Printer on fire"
    assert "Сәлеметсіз бе, Айгүл Сатушы!" in text_of(staff_letter)
