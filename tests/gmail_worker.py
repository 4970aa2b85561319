"""A worker process for the SIGKILL test: runs one Gmail sync of a mailbox, as
``flask worker`` would, against the test database and the fake Google given in argv."""
import json
import sys

from app import create_app
from app.config import TestConfig
from app.mailbox.jobs import sync_mailbox_job


def main() -> None:
    tenant_id, mailbox_id, settings = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
    app = create_app(TestConfig(**settings))
    with app.app_context():
        print(sync_mailbox_job(tenant_id, mailbox_id), flush=True)


if __name__ == "__main__":
    main()
