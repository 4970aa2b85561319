"""Letters for the "show original", inline-image and label tests: an HTML letter with a
script, a remote image and inline (cid:) images, and a real PNG to put in it."""
import struct
import zlib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from tests.conftest import STRONG_PASSWORD


def png(width: int = 1, height: int = 1, *, noise: bytes = b"") -> bytes:
    """A valid PNG (the attachment rules detect types by content); ``noise`` makes it
    larger and distinct."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows))
            + (chunk(b"tEXt", b"Comment\x00" + noise) if noise else b"")
            + chunk(b"IEND", b""))


def html_letter(*, subject: str = "Our logo is broken", sender: str = "jane@client.example",
                html: str, images: dict[str, bytes] | None = None,
                headers: dict | None = None) -> bytes:
    """An HTML-only letter (multipart/related) whose ``images`` are inline parts, by
    Content-ID."""
    message = EmailMessage()
    message["From"] = f"Jane Client <{sender}>"
    message["To"] = "support@shop.example"
    message["Cc"] = "boss@client.example"
    message["Subject"] = subject
    message["Date"] = formatdate()
    message["Message-ID"] = make_msgid(domain="client.example")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(html, subtype="html")
    for content_id, data in (images or {}).items():
        message.add_related(data, maintype="image", subtype="png", cid=f"<{content_id}>",
                            filename=f"{content_id.split('@')[0]}.png")
    return bytes(message)


SCRIPTED = ('<html><body><p id="said">Hello from the letter</p>'
            '<script>document.getElementById("said").textContent = "script ran";</script>'
            '<img src="https://tracker.example/pixel.gif" alt="tracker">'
            '<img src="cid:logo@client.example" alt="our logo">'
            '<img src="cid:huge@client.example" alt="the huge chart">'
            '</body></html>')


def login(client, api, email_prefix: str = "admin") -> None:
    """Log the web client in as the tenant's admin (the tenant of ``api``)."""
    slug = api.get("/tenant").get_json()["slug"]
    response = client.post(f"/t/{slug}/login", data={
        "email": f"{email_prefix}@{slug}.example", "password": STRONG_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
