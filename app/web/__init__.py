"""Public pages (home, signup, login) and the staff dashboard."""
