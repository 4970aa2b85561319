"""Gmail through Google's own client libraries, below the app's areas.

- ``oauth``: the consent flow (web flow, PKCE S256, offline access), refresh and revoke;
- ``vault``: refresh tokens encrypted at rest (Fernet; several keys rotate);
- ``client``: the Gmail API client (profile, messages, history, batches, send);
- ``mime``: a raw letter read into text, HTML and files, whatever its charsets and shape;
- ``quotes``: the quoted history of a reply cut away;
- ``rules``: which letters are not requests (auto-replies, bounces, our own).

Nothing here knows tickets or tenants: the mailbox area (``app.mailbox``) decides.
"""
