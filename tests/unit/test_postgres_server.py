"""The test suite's PostgreSQL is a real server: it stores, rolls back, and keeps committed data across a restart."""

import psycopg
import pytest

from tests.postgres_server import PostgresNotAvailable, PostgresServer


def test_a_fresh_database_is_empty_and_answers_on_tcp(postgres_url):
    assert postgres_url.startswith("postgresql://postgres@127.0.0.1:")
    with psycopg.connect(postgres_url) as con:
        tables = con.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
        assert tables == 0
        assert con.info.server_version >= 100000


def test_each_test_gets_its_own_database(postgres_server, postgres_url):
    assert postgres_server.create_database() != postgres_url


def test_a_committed_row_is_stored(postgres_url):
    with psycopg.connect(postgres_url) as con:
        con.execute("CREATE TABLE kept (id BIGINT PRIMARY KEY, name TEXT)")
        con.execute("INSERT INTO kept VALUES (1, 'one')")
    with psycopg.connect(postgres_url) as con:
        assert con.execute("SELECT id, name FROM kept").fetchall() == [(1, "one")]


def test_a_rolled_back_transaction_leaves_nothing(postgres_url):
    with psycopg.connect(postgres_url) as con:
        con.execute("CREATE TABLE kept (id BIGINT PRIMARY KEY)")
        con.commit()
        with pytest.raises(psycopg.errors.UniqueViolation), con.transaction():
            con.execute("INSERT INTO kept VALUES (1)")
            con.execute("INSERT INTO kept VALUES (1)")
        assert con.execute("SELECT count(*) FROM kept").fetchone()[0] == 0


def test_stop_refuses_connections_and_start_keeps_committed_data():
    with PostgresServer() as server:  # its own server: stopping the session's one would disturb other tests
        url = server.create_database()
        with psycopg.connect(url) as con:
            con.execute("CREATE TABLE kept AS SELECT 42 AS answer")
        server.stop()
        assert not server.running
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(url, connect_timeout=2)
        server.start()
        with psycopg.connect(url) as con:
            assert con.execute("SELECT answer FROM kept").fetchone()[0] == 42
        folder = server.folder
    assert not folder.exists()


def test_the_unix_socket_is_inside_the_servers_folder(postgres_server):
    socket = postgres_server.socket_dir / f".s.PGSQL.{postgres_server.port}"
    assert socket.is_socket()
    with psycopg.connect(host=str(postgres_server.socket_dir), port=postgres_server.port, user="postgres") as con:
        assert con.execute("SELECT 1").fetchone()[0] == 1


def test_missing_server_programs_say_what_to_install(tmp_path):
    with pytest.raises(PostgresNotAvailable, match="install Debian's `postgresql` package"):
        PostgresServer(bindir=tmp_path)
