"""A real SMTP server on localhost (aiosmtpd) that keeps what it receives."""
import socket
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class _Keep:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                              "message": message_from_bytes(envelope.content,
                                                            policy=policy.default)})
        return "250 OK"


class FakeSMTP:
    """``with FakeSMTP() as smtp: … smtp.url … smtp.messages``"""

    def __init__(self):
        self.handler = _Keep()
        with socket.socket() as probe:  # a free port for the server
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.controller.port}"

    @property
    def messages(self) -> list:
        return self.handler.messages
