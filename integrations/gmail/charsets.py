"""Bytes to text for the charsets customers really use, and a best guess for the rest.

A declared charset is tried first (with the aliases mail programs invent), then UTF-8, then
a guess among the Cyrillic code pages by letter frequencies, and Latin-1 last: it never
fails, so a letter is always imported with what could be read.
"""
import codecs
import re

ALIASES = {
    "win-1251": "cp1251", "windows1251": "cp1251", "cp-1251": "cp1251", "x-cp1251": "cp1251",
    "win-1252": "cp1252", "koi8r": "koi8_r", "koi8": "koi8_r", "x-koi8-r": "koi8_r",
    "utf8": "utf-8", "x-utf8": "utf-8", "unicode-1-1-utf-8": "utf-8", "ks_c_5601-1987": "cp949",
    "x-mac-cyrillic": "mac_cyrillic", "gb2312": "gb18030", "gbk": "gb18030",
}
_SURROGATE = re.compile("[\udc80-\udcff]")  # an undecodable byte, as the email package keeps it
UNKNOWN = {"", "unknown-8bit", "x-unknown", "unknown", "default", "us-ascii-unknown"}


def normalize(charset: str | None) -> str | None:
    """A codec name Python knows for a declared charset, or None."""
    name = (charset or "").strip().strip('"').strip("'").lower()
    if name in UNKNOWN:
        return None
    name = ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _cyrillic_guess(data: bytes) -> str | None:
    """cp1251 or koi8-r, for 8-bit text without (or with a wrong) charset: in running text
    most letters are lower case, and the two code pages put lower case in opposite halves
    of 0xC0–0xFF."""
    high = sum(1 for b in data if b >= 0xC0)
    if high < max(4, len(data) // 50):
        return None
    upper_half = sum(1 for b in data if b >= 0xE0)
    return "cp1251" if upper_half * 2 >= high else "koi8_r"


def decode(data: bytes, charset: str | None = None) -> str:
    """Text from ``data``; never raises."""
    if not data:
        return ""
    tried = []
    for name in (normalize(charset), "utf-8"):
        if name and name not in tried:
            tried.append(name)
            try:
                return data.decode(name)
            except (UnicodeDecodeError, LookupError):
                continue
    guess = _cyrillic_guess(data)
    if guess:
        return data.decode(guess, errors="replace")
    return data.decode("latin-1")


def clean(text: str) -> str:
    """Text a database stores: lone surrogates (undecodable header bytes kept by the email
    package) decoded as bytes, NUL characters dropped."""
    if _SURROGATE.search(text):
        try:
            text = decode(text.encode("utf-8", "surrogateescape"))
        except UnicodeEncodeError:  # other lone surrogates too: replaced below
            pass
    text = text.encode("utf-8", "replace").decode("utf-8")
    return text.replace("\x00", "")
