"""The knowledge base: categories and Markdown articles (public or internal), their search,
reader comments held for moderation, "did this help?" votes, popular and featured articles,
the public site ``/kb/<slug>/`` and the daily deflection figures the widget and the portal
add to."""
