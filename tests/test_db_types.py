"""UtcDateTime: moments come back from any database as aware UTC datetimes."""
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, literal, select

from app.db_types import UtcDateTime, utcnow
from app.extensions import db

ALMATY = timezone(timedelta(hours=5))


@pytest.fixture
def sqlite_table():
    engine = create_engine("sqlite://")
    table = Table("moments", MetaData(), Column("id", Integer, primary_key=True),
                  Column("at", UtcDateTime))
    table.metadata.create_all(engine)
    with engine.begin() as connection:
        yield connection, table


def test_sqlite_reads_back_aware_utc(sqlite_table):
    connection, table = sqlite_table
    noon_in_almaty = datetime(2030, 3, 1, 12, 0, tzinfo=ALMATY)
    connection.execute(insert(table), [{"id": 1, "at": noon_in_almaty},
                                       {"id": 2, "at": datetime(2030, 3, 1, 7, 0)},
                                       {"id": 3, "at": None}])
    rows = dict(connection.execute(select(table.c.id, table.c.at)).all())
    assert rows[1] == noon_in_almaty and rows[1].tzinfo is UTC
    assert rows[1].hour == 7  # stored as the UTC moment, not Almaty's wall clock
    assert rows[2] == datetime(2030, 3, 1, 7, 0, tzinfo=UTC)  # naive means UTC
    assert rows[3] is None
    assert rows[1] < utcnow() + timedelta(days=3650)  # comparable with aware "now"


def test_sqlite_compares_moments_given_in_any_zone(sqlite_table):
    connection, table = sqlite_table
    connection.execute(insert(table), [{"id": 1, "at": datetime(2030, 3, 1, 7, 0, tzinfo=UTC)}])
    later_in_almaty = datetime(2030, 3, 1, 12, 30, tzinfo=ALMATY)  # 07:30 UTC
    found = connection.execute(select(table.c.id).where(table.c.at < later_in_almaty)).all()
    assert found == [(1,)]


def test_postgresql_reads_back_aware_utc(app_ctx):
    noon_in_almaty = datetime(2030, 3, 1, 12, 0, tzinfo=ALMATY)
    value = db.session.scalar(select(literal(noon_in_almaty, UtcDateTime)))
    assert value == noon_in_almaty and value.tzinfo is UTC


def test_postgresql_reads_back_aware_utc_whatever_the_server_zone(app):
    """The connection is set to UTC when it connects, so a server (or role) default in another
    zone changes nothing: moments come back as UTC datetimes, with no per-value step."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"],
                           connect_args={"options": "-c TimeZone=Asia/Kamchatka"})
    try:
        with engine.connect() as connection:
            noon_in_almaty = datetime(2030, 3, 1, 12, 0, tzinfo=ALMATY)
            value = connection.execute(select(literal(noon_in_almaty, UtcDateTime))).scalar()
            assert value == noon_in_almaty and value.tzinfo is UTC and value.hour == 7
            assert connection.exec_driver_sql("SHOW TimeZone").scalar() == "UTC"
    finally:
        engine.dispose()
