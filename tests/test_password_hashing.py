"""Argon2id parameters come from the configuration: strong in production, cheap in the suite."""
from argon2 import PasswordHasher
from flask import Flask

from tenants import passwords


def test_the_suite_hashes_cheaply(app):
    with app.app_context():
        hashed = passwords.hash_password("Correct-horse-42")
    assert hashed.startswith("$argon2id$") and "m=8,t=1,p=1" in hashed


def test_production_keeps_the_strong_defaults():
    strong = PasswordHasher()
    with Flask("production").app_context():  # no PASSWORD_HASH_PARAMS
        hashed = passwords.hash_password("Correct-horse-42")
        assert f"m={strong.memory_cost},t={strong.time_cost},p={strong.parallelism}" in hashed
        assert passwords.verify_password(hashed, "Correct-horse-42")


def test_a_hash_made_with_other_parameters_still_verifies(app):
    strong = PasswordHasher().hash("Correct-horse-42")
    with app.app_context():
        assert passwords.verify_password(strong, "Correct-horse-42")
        assert not passwords.verify_password(strong, "wrong-horse-42")
        assert passwords.verify_password(passwords.dummy_hash(), "x") is False
