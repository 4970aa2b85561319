"""Local stand-ins for outside services (Stripe, Google, SMTP) speaking their wire protocols."""
