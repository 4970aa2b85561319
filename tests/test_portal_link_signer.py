"""The status links' signer is made once per secret key: the same object for every link of a
key, a new one (that refuses the old key's links) when the key changes."""
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
