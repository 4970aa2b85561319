"""The fake Google in its own process, for measure.py: the worker's figures then hold the
worker's CPU only. ``fake_process.py ACCOUNT COUNT`` delivers COUNT letters to ACCOUNT,
prints the fake's address, and serves until killed (its consent page allows ACCOUNT)."""
import sys
import time

from common import letter

from tests.fakes.google_server import FakeGoogle


def main() -> None:
    account, count = sys.argv[1], int(sys.argv[2])
    with FakeGoogle() as google:
        google.browser_account = account
        google.add_account(account)
        for n in range(count):
            google.deliver(account, letter(n, account))
        print(google.url, flush=True)
        while True:
            time.sleep(3600)


if __name__ == "__main__":
    main()
