"""The customer portal: a requester follows a signed link (``/p/<slug>/t/<token>``, made by
``app.portal.links.status_url``) to read the public conversation of their request, write
again with files, say it is solved or reopen it, rate it once resolved, and list all their
requests at the company. No password: the link is the key, and it expires when unused."""
