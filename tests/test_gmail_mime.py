"""Reading letters: the charsets customers use, quoted history, hostile and broken MIME,
a property-based fuzz proving the parser never raises, and a corpus of real-world letters
(Python's own email test messages) all read."""
import base64
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrations.gmail import charsets, mime, quotes, rules


def _letter(headers: str, body: bytes) -> bytes:
    return headers.replace("\n", "\r\n").encode() + b"\r\n" + body


@pytest.mark.parametrize(("charset", "encoding"), [
    ("koi8-r", "quoted-printable"), ("windows-1251", "base64"), ("utf-8", "8bit"),
    ("cp1251", "quoted-printable"), ("KOI8-R", "base64")])
def test_cyrillic_bodies_in_every_charset_and_transfer_encoding(charset, encoding):
    text = "Здравствуйте! Принтер не печатает."
    data = text.encode(charset.lower().replace("windows-", "cp"))
    if encoding == "base64":
        payload = base64.encodebytes(data)
    elif encoding == "quoted-printable":
        import quopri

        payload = quopri.encodestring(data)
    else:
        payload = data
    raw = _letter(f"From: a@b.example\nSubject: x\nContent-Type: text/plain; charset={charset}\n"
                  f"Content-Transfer-Encoding: {encoding}\n", payload)
    assert mime.parse(raw).text.strip() == text


def test_rfc2047_headers_and_raw_8bit_headers():
    raw = _letter("From: =?koi8-r?b?7MXOwQ==?= <Lena@Client.Example>\n"
                  "Subject: =?windows-1251?q?=C7=E0=EA=E0=E7_=B9_5?= =?utf-8?b?INCz0L7RgtC+0LI=?=\n"
                  "To: =?utf-8?q?Support?= <support@shop.example>\n", b"hi")
    letter = mime.parse(raw)
    assert (letter.from_name, letter.from_address) == ("Лена", "lena@client.example")
    assert letter.subject == "Заказ № 5 готов" and letter.to == ["support@shop.example"]
    raw8 = "Subject: Привет\r\nFrom: x@y.example\r\n\r\nbody".encode("cp1251")
    assert mime.parse(raw8).subject == "Привет"


def test_unknown_charsets_are_decoded_as_well_as_can_be():
    raw = _letter("From: a@b.example\nContent-Type: text/plain; charset=x-no-such\n",
                  "Привет, мир".encode("koi8-r"))
    assert mime.parse(raw).text == "Привет, мир"
    assert charsets.decode(b"caf\xe9", "unknown-8bit") == "café"
    assert charsets.decode("плохо".encode("cp1251"), "bogus") == "плохо"


def test_prefers_text_keeps_html_and_files():
    raw = _letter(
        'From: a@b.example\nContent-Type: multipart/mixed; boundary="m"\n',
        b'--m\r\nContent-Type: multipart/alternative; boundary="a"\r\n\r\n'
        b"--a\r\nContent-Type: text/plain\r\n\r\nplain words\r\n"
        b"--a\r\nContent-Type: text/html\r\n\r\n<p>html words</p>\r\n--a--\r\n"
        b'--m\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; '
        b'filename="=?utf-8?q?=D1=81=D1=87=D1=91=D1=82.pdf?="\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--m--\r\n")
    letter = mime.parse(raw)
    assert letter.text.strip() == "plain words" and "html words" in letter.html
    assert [(f.filename, f.data) for f in letter.files] == [("счёт.pdf", b"%PDF-1.4\n")]


@pytest.mark.parametrize(("reply", "expected"), [
    ("Thanks!\n\nOn Mon, 1 Jan 2024 at 10:00, Support <s@x.example> wrote:\n> old\n> text",
     "Thanks!"),
    ("Спасибо\n\n1 января 2024 г., Поддержка <s@x.example> пишет:\n> старое", "Спасибо"),
    ("Fine\n\nOn Mon, 1 Jan 2024 at 10:00 AM Very Long Name <s@x.example>\nwrote:\n> q",
     "Fine"),
    ("Ok\n-----Original Message-----\nFrom: s@x.example\nSent: today\nold", "Ok"),
    ("See below\n\nFrom: Support <s@x.example>\nSent: Monday\nTo: me\nSubject: x\n\nold",
     "See below"),
    ("> only a quote", "> only a quote"),  # nothing would be left: keep it all
    ("No quote at all.\nSecond line.", "No quote at all.\nSecond line."),
])
def test_quoted_history_is_cut(reply, expected):
    assert quotes.strip_text(reply) == expected


def test_quoted_html_is_cut_before_the_quote_container():
    html = '<div>New answer</div><div class="gmail_quote">On … wrote:<blockquote>old'
    assert quotes.strip_html(html) == "<div>New answer</div>"
    assert quotes.strip_html('<blockquote type="cite">all quote</blockquote>').startswith(
        "<blockquote")


def _zip_bomb() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.txt", b"0" * 20_000_000)
    return buffer.getvalue()


HOSTILE = {
    "broken boundary": _letter('From: a@b.example\nContent-Type: multipart/mixed; boundary="x"\n',
                               b"--y\r\nnot the boundary\r\n--x\r\ntruncated"),
    "no boundary": _letter("From: a@b.example\nContent-Type: multipart/mixed\n", b"--x\r\n"),
    "huge header": _letter("From: a@b.example\nSubject: " + "A" * 100_000 + "\n", b"body"),
    "nested rfc822": _letter("From: a@b.example\nContent-Type: message/rfc822\n",
                             _letter("From: inner@b.example\nSubject: inner\n", b"inner body")),
    "deep nesting": _letter("From: a@b.example\n", b"").replace(b"\r\n\r\n", b"") + b"".join(
        f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n'.encode()
        for i in range(400)),
    "zip bomb": _letter('From: a@b.example\nContent-Type: multipart/mixed; boundary="z"\n',
                        b'--z\r\nContent-Type: text/plain\r\n\r\nsee zip\r\n--z\r\n'
                        b'Content-Type: application/zip\r\nContent-Disposition: attachment; '
                        b'filename="b.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
                        + base64.encodebytes(_zip_bomb()) + b"--z--\r\n"),
    "not a message": bytes(range(256)) * 10,
    "bad base64": _letter("From: a@b.example\nContent-Transfer-Encoding: base64\n", b"!!!@@@"),
    "bad date and ids": _letter("From: a@b.example\nDate: yesterday-ish\nMessage-ID: nope\n"
                                "References: <a@b> garbage <c@d>\n", b"x"),
    "empty": b"",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_mime_never_raises(name):
    letter = mime.parse(HOSTILE[name])
    assert isinstance(letter, mime.Letter)
    assert "\x00" not in letter.text and "\x00" not in letter.subject


def test_hostile_details():
    assert len(mime.parse(HOSTILE["huge header"]).subject) <= mime.MAX_HEADER
    nested = mime.parse(HOSTILE["nested rfc822"])
    assert nested.files and b"inner body" in nested.files[0].data
    bomb = mime.parse(HOSTILE["zip bomb"])
    assert bomb.files[0].filename == "b.zip" and len(bomb.files[0].data) < 100_000
    assert mime.parse(HOSTILE["bad date and ids"]).references == ["<a@b>", "<c@d>"]
    assert mime.parse(HOSTILE["empty"]).problems == ["empty message"]


PIECES = st.sampled_from([
    b"From: a@b.example\r\n", b"Subject: =?utf-8?b?0J/RgNC40LLQtdGC?=\r\n",
    b"Content-Type: multipart/mixed; boundary=\"q\"\r\n", b"--q\r\n", b"--q--\r\n",
    b"Content-Type: text/plain; charset=koi8-r\r\n", b"Content-Transfer-Encoding: base64\r\n",
    b"Content-Transfer-Encoding: quoted-printable\r\n", b"\r\n", b"=?x?q?bad?=", b"\xff\xfe",
    b"Content-Type: message/rfc822\r\n", b"Content-Disposition: attachment; filename*=x''%FF",
    b"Subject: \x00\r\n", b"=C0=FF=\r\n", b"References: <a@b> <\r\n"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, st.binary(max_size=40)), max_size=40))
def test_fuzz_the_parser_never_raises(chunks):
    letter = mime.parse(b"".join(chunks))
    assert isinstance(letter.text, str) and isinstance(letter.subject, str)
    rules.skip_reason(letter, own_addresses={"support@shop.example"})


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_fuzz_arbitrary_bytes(data):
    assert isinstance(mime.parse(data), mime.Letter)


def _stdlib_corpus() -> list[Path]:
    try:
        import test.test_email as package
    except ImportError:
        return []
    return sorted((Path(package.__file__).parent / "data").glob("msg_*.txt"))


WRITTEN_CORPUS = [
    _letter("From: Outlook User <o@corp.example>\nSubject: RE: Order\nContent-Type: text/plain;"
            " charset=windows-1251\n", "Добрый день,\nзаказ получен.".encode("cp1251")),
    _letter('From: m@mac.example\nContent-Type: multipart/related; boundary="r"\n',
            b'--r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src="cid:i1">hi\r\n'
            b'--r\r\nContent-Type: image/png\r\nContent-ID: <i1>\r\n'
            b'Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--r--\r\n'),
    _letter("From: y@yandex.example\nSubject: =?KOI8-R?B?8NLJ18XU?=\n", "тест".encode()),
]


@pytest.mark.parametrize("raw", WRITTEN_CORPUS)
def test_written_corpus(raw):
    letter = mime.parse(raw)
    assert letter.from_address and (letter.text or letter.html)


def test_pythons_own_email_test_messages_are_all_read():
    corpus = _stdlib_corpus()
    if not corpus:
        pytest.skip("the stdlib's email test data is not installed")
    read = [mime.parse(path.read_bytes()) for path in corpus]
    assert len(read) == len(corpus) > 30
    # Every letter accounted for: something read, or what could not be read said.
    assert all(letter.text or letter.html or letter.files or letter.problems
               for letter in read)
    readable = [letter for letter in read if letter.text or letter.html or letter.files]
    assert len(readable) >= len(corpus) - 6  # a few of them have empty bodies on purpose
