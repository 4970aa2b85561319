"""The status links' signer is made once per secret key: the same object for every link of a
key, a new one (that refuses the old key's links) when the key changes."""
from itsdangerous import URLSafeSerializer

from app.portal import links


def test_one_signer_per_key_and_a_changed_key_refuses_old_links(app):
    with app.app_context():
        token = links._serializer().dumps([1, 2, "k"])
        assert links._serializer() is links._serializer()
        assert links.read_token(token) == (1, 2, "k")
        saved = app.config["SECRET_KEY"]
        app.config["SECRET_KEY"] = "another key entirely"
        try:
            assert links.read_token(token) is None
        finally:
            app.config["SECRET_KEY"] = saved
        assert links.read_token(token) == (1, 2, "k")


def test_its_tokens_are_itsdangerous_own_and_it_refuses_a_changed_one(app):
    """Keys derived once and one signer per salt: the tokens are those of a plain
    ``URLSafeSerializer`` with the same key and salt, both ways."""
    with app.app_context():
        plain = URLSafeSerializer(app.config["SECRET_KEY"], salt=links._SALT)
        for payload in ([1, 2, "k"], [7, 123456789, "x" * 22], [3, 4, "ключ"]):
            token = links._serializer().dumps(payload)
            assert token == plain.dumps(payload)
            assert links._serializer().loads(plain.dumps(payload)) == payload
        token = links._serializer().dumps([1, 2, "k"])
        tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
        assert links.read_token(tampered) is None
        assert links._serializer().dumps([1, 2, "k"], salt="other") == URLSafeSerializer(
            app.config["SECRET_KEY"], salt="other").dumps([1, 2, "k"])
