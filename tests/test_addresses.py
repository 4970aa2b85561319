"""E-mail addresses: the plain-ASCII shortcut (``app.addresses._plain``) gives exactly
email-validator's verdict and normal form wherever it answers, over generated addresses that
go near every rule (dots, hyphens, label and part lengths, special-use and numeric
top-level domains, IDNA-looking labels)."""
import pytest
from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from app.addresses import InvalidAddress, _plain, normalized

ATEXT = "aZ09!#$%&'*+/=?^_`{|}~-."
LDH = "aZ09-"
TLDS = ["com", "example", "org", "c", "co1", "1com", "xn--p1ai", "рф", "EXAMPLE",
        *SPECIAL_USE_DOMAIN_NAMES]


def _validator(text: str) -> str | None:
    try:
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


labels = st.one_of(st.text(LDH, min_size=0, max_size=66),
                   st.sampled_from(["ab--cd", "xn--80ak6aa92e", "-a", "a-", "a" * 63, "a" * 64]))
domains = st.builds(lambda parts, tld: ".".join([*parts, tld]),
                    st.lists(labels, min_size=0, max_size=4), st.sampled_from(TLDS))
locals_ = st.one_of(st.text(ATEXT, min_size=0, max_size=70),
                    st.sampled_from(["a" * 64, "a" * 65, "a..b", ".a", "a.", "Bob.Smith+x"]))
addresses = st.one_of(st.builds(lambda local, domain: f"{local}@{domain}", locals_, domains),
                      st.text(max_size=40))


@settings(max_examples=3000, deadline=None)
@given(addresses)
def test_the_shortcut_agrees_with_email_validator_wherever_it_answers(text):
    expected = _validator(text)
    plain = _plain(text)
    assert plain is None or plain == expected
    if expected is None:
        with pytest.raises(InvalidAddress):
            normalized(text)
    else:
        assert normalized(text) == expected


def test_common_addresses_take_the_shortcut():
    for text in ("bob@client.example", "Bob.Smith+tag@Mail.Example.COM",
                 "first_last-1@sub-domain.example.org"):
        assert _plain(text) == text.lower() == normalized(text)
    for text in ("a@x.test", "a@localhost", "a@ab--c.com", "иван@пример.рф", "a@x.c"):
        assert _plain(text) is None  # email-validator decides
