"""The floor of bench/api/create_ticket.py: a bare Flask app whose ``POST /tickets`` does one
INSERT and answers with JSON — what any Flask + PostgreSQL endpoint costs under gunicorn.

One autocommit connection per worker process (opened on its first request), no ORM, no
validation beyond reading the fields, no authentication.

    FLOOR_DATABASE_URL=postgresql://role@127.0.0.1:5432/db gunicorn floor_app:app

The table (the benchmark creates it)::

    CREATE TABLE tickets (id bigserial PRIMARY KEY, subject text NOT NULL, body text NOT NULL,
                          requester_email text NOT NULL, requester_name text,
                          created_at timestamptz NOT NULL DEFAULT now())
"""
import os

import psycopg
from flask import Flask, jsonify, request

app = Flask(__name__)
_connection: psycopg.Connection | None = None

INSERT = """INSERT INTO tickets (subject, body, requester_email, requester_name)
            VALUES (%s, %s, %s, %s) RETURNING id, created_at"""


def connection() -> psycopg.Connection:
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(os.environ["FLOOR_DATABASE_URL"], autocommit=True)
    return _connection


@app.post("/tickets")
def create_ticket():
    data = request.get_json()
    requester = data["requester"]
    ticket_id, created_at = connection().execute(
        INSERT, (data["subject"], data["body"], requester["email"], requester.get("name"))
    ).fetchone()
    return jsonify(id=ticket_id, subject=data["subject"], created_at=created_at.isoformat()), 201
