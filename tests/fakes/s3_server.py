"""A local S3-compatible server (moto in server mode) for the S3 attachment backend.

It speaks S3's real HTTP protocol, so boto3 is exercised end to end over a socket.
"""
import socket
from contextlib import contextmanager

from moto.server import ThreadedMotoServer


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def s3_server():
    """Yield the endpoint URL of a fresh local S3 server; stop it afterwards."""
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
