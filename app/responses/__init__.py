"""Response templates: canned replies with safe placeholders, per tenant or per department."""
