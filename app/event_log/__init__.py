"""The event log: the record of every change (``app.events``) as filters, pages, an API and
sentences in the reader's language. It names what other areas own (staff, tickets, rules,
plans), so it sits with the areas, above the record every one of them writes."""
