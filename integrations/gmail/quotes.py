"""Cut the quoted history from a reply, where it can be recognised.

Text: everything from an attribution line ("On … wrote:", "… пишет:", "-----Original
Message-----", an Outlook header block) on, and trailing ``>`` lines. HTML: from the
quote containers mail programs mark (Gmail's ``gmail_quote``, Thunderbird's
``moz-cite-prefix``, Apple's ``blockquote type="cite"``, Outlook's ``divRplyFwdMsg``).
Nothing is cut when that would leave the reply empty.
"""
import re

_WROTE = re.compile(
    r"^\s*("
    r"On\b.{0,300}\bwrote:"  # English (Gmail, Apple Mail, Thunderbird)
    r"|Le\b.{0,300}\ba écrit\s?:"  # French
    r"|Am\b.{0,300}\bschrieb\b.{0,200}:"  # German
    r"|.{0,300}\b(пишет|написал|написала|написал\(а\)|жазды)\s?:"  # Russian, Kazakh
    r"|-{2,}\s*(Original Message|Исходное сообщение|Пересылаемое сообщение|Forwarded message)"
    r"\s*-{2,}"
    r"|_{20,}"  # Outlook's rule above its header block
    r")\s*$", re.IGNORECASE)
_OUTLOOK = re.compile(r"^\s*\*?(From|От|Кімнен)\s?:\*?\s", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(r"^\s*\*?(Sent|Date|To|Subject|Отправлено|Дата|Кому|Тема)\s?:",
                           re.IGNORECASE)
_HTML_QUOTE = re.compile(
    r"<div[^>]*class=\"?[^\">]*\b(gmail_quote|gmail_extra|moz-cite-prefix|yahoo_quoted)\b"
    r"|<blockquote[^>]*type=\"?cite"
    r"|<div[^>]*id=\"?(divRplyFwdMsg|appendonsend|mail-editor-reference-message-container)\b",
    re.IGNORECASE)


def _cut_at(lines: list[str]) -> int:
    for index, line in enumerate(lines):
        joined = line + " " + lines[index + 1] if index + 1 < len(lines) else line
        if _WROTE.match(line):
            return index
        if line.strip().lower().startswith("on ") and _WROTE.match(joined):
            return index  # "On …" wrapped before "wrote:"
        if _OUTLOOK.match(line) and any(_OUTLOOK_NEXT.match(following)
                                        for following in lines[index + 1:index + 4]):
            return index
    return len(lines)


def strip_text(text: str) -> str:
    """The reply without its quoted history (the whole text if that would leave nothing)."""
    lines = text.splitlines()
    kept = lines[:_cut_at(lines)]
    while kept and (not kept[-1].strip() or kept[-1].lstrip().startswith(">")):
        kept.pop()
    reply = "\n".join(kept).strip()
    return reply or text.strip()


def strip_html(html: str) -> str:
    """The reply's HTML cut before the first quote container (the whole if nothing is
    left before it). The cut markup is left unbalanced: the sanitizer closes it."""
    match = _HTML_QUOTE.search(html)
    if match is None:
        return html
    before = html[:match.start()]
    visible = re.sub(r"<[^>]*>|&nbsp;|\s", "", before)
    return before if visible else html
