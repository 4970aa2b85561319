"""The tenant's Gmail mailbox: connect it, import its letters as tickets (with a log of each
one), and send agents' replies back in the same thread."""
