"""Onboarding: signing a company up and its company settings (name, language, time zone).

It sits above the other areas, because a signup creates what they own (the admin, a
department, the trial credit, the first token); the ``tenants`` foundation below knows
nothing of it."""
