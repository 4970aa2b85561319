"""Imported messages get the "Helpdesk" label in the Gmail mailbox: the label is found or
created once and kept on the mailbox, one messages.batchModify per imported batch (skipped
messages are not labelled); a refusal leaves the import whole, and the next sync labels
what was left."""
import pytest

from app.mailbox import sync
from tests.gmail_support import (
    connect,
    fake_google,
    letter,
    log_of,
    mailbox_of,
    sync_now,
    tickets_of,
    with_gmail_addon,
)

BOX = "support@shop.example"
LIST, CREATE = "GET /gmail/v1/users/me/labels", "POST /gmail/v1/users/me/labels"
MODIFY = "POST /gmail/v1/users/me/messages/batchModify"


@pytest.fixture
def google(app, monkeypatch):
    monkeypatch.setattr(sync, "BATCH_SIZE", 2)  # a few letters make several batches
    yield from fake_google(app, monkeypatch)


def _deliver(google, count: int, start: int = 0) -> list[str]:
    return [google.deliver(BOX, letter(subject=f"Letter {n}", sender=f"c{n}@client.example"))
            for n in range(start, start + count)]


def _user_labels(google) -> list[dict]:
    return [x for x in google.accounts[BOX].labels.values() if x["type"] == "user"]


def _labelled(google, label_id: str) -> set[str]:
    return {i for i, m in google.accounts[BOX].messages.items() if label_id in m.labels}


def test_label_is_created_once_and_applied_once_per_batch(app, client, tenant_a, google):
    imported = _deliver(google, 5)
    skipped = google.deliver(BOX, letter(headers={"Auto-Submitted": "auto-replied"}))
    with_gmail_addon(tenant_a)
    connect(app, client, tenant_a, google)
    [label] = _user_labels(google)
    assert label["name"] == "Helpdesk"
    assert mailbox_of(app, tenant_a)["label_id"] == label["id"]
    assert _labelled(google, label["id"]) == set(imported) and skipped not in imported
    assert google.calls.count(LIST) == 1 and google.calls.count(CREATE) == 1
    assert google.calls.count(MODIFY) == 3  # six messages, three batches of two
    more = _deliver(google, 2, start=10)
    calls = len(google.calls)
    assert sync_now(app, tenant_a)["imported"] == 2
    assert google.calls[calls:].count(MODIFY) == 1
    assert LIST not in google.calls[calls:] and CREATE not in google.calls[calls:]
    assert _labelled(google, label["id"]) == set(imported + more)


def test_an_existing_label_is_found_by_name(app, client, tenant_a, google):
    account = google.add_account(BOX)
    account.labels["Label_9"] = {"id": "Label_9", "name": "helpdesk", "type": "user"}
    ids = _deliver(google, 1)
    with_gmail_addon(tenant_a)
    connect(app, client, tenant_a, google)
    assert CREATE not in google.calls and len(_user_labels(google)) == 1
    assert _labelled(google, "Label_9") == set(ids)


def test_a_labelling_failure_leaves_the_import_whole_and_the_next_sync_labels(
        app, client, tenant_a, google):
    google.refuse_labels = 503
    ids = _deliver(google, 3)
    with_gmail_addon(tenant_a)
    connect(app, client, tenant_a, google)
    assert [t.subject for t in tickets_of(app, tenant_a)] == ["Letter 0", "Letter 1",
                                                              "Letter 2"]
    entries = log_of(app, tenant_a)
    assert [e.status for e in entries] == ["imported"] * 3
    assert all(e.label_pending for e in entries)
    box = mailbox_of(app, tenant_a)
    assert box["labels_behind"] and box["label_id"] is None and box["last_error"] == ""
    assert not _user_labels(google)

    google.refuse_labels = None
    result = sync_now(app, tenant_a)
    assert result["outcome"] == "ok" and result["imported"] == 0  # nothing imported twice
    [label] = _user_labels(google)
    assert _labelled(google, label["id"]) == set(ids)
    assert not any(e.label_pending for e in log_of(app, tenant_a))
    assert not mailbox_of(app, tenant_a)["labels_behind"]
    assert len(tickets_of(app, tenant_a)) == 3


def test_a_label_deleted_in_gmail_is_made_again(app, client, tenant_a, google):
    _deliver(google, 1)
    with_gmail_addon(tenant_a)
    connect(app, client, tenant_a, google)
    [label] = _user_labels(google)
    del google.accounts[BOX].labels[label["id"]]  # someone deleted it in Gmail
    later = _deliver(google, 1, start=5)
    calls = len(google.calls)
    # Refused (400: no such label): forgotten, and made again at the end of the same sync.
    assert sync_now(app, tenant_a)["imported"] == 1
    assert google.calls[calls:].count(MODIFY) == 2 and CREATE in google.calls[calls:]
    [again] = _user_labels(google)
    assert again["id"] != label["id"] and _labelled(google, again["id"]) == set(later)
    box = mailbox_of(app, tenant_a)
    assert box["label_id"] == again["id"] and not box["labels_behind"]
