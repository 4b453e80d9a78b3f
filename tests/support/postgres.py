"""The PostgreSQL server the instance tests use: 127.0.0.1:5432, user postgres, trust auth.

Shared by tests/test_postgres.py and tests/test_restart.py: plain SQL in autocommit, the skip (or,
with WATCHFLOOR_REQUIRE_POSTGRES=1, the failure) when no server answers, a fresh database per test
and a DAGSTER_HOME holding the production dagster.yaml (config/dagster.postgres.yaml).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from watchfloor.core.config import REPO_ROOT

psycopg2 = pytest.importorskip("psycopg2", reason="psycopg2 comes with dagster-postgres: run `make install`")

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "password": ""}


def sql(query: str, params: list | None = None, dbname: str = "postgres") -> list[tuple]:
    """One statement in autocommit (CREATE/DROP DATABASE cannot run inside a transaction); its rows."""
    conn = psycopg2.connect(dbname=dbname, connect_timeout=3, **PG)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(query, params)
            return cur.fetchall() if cur.description else []
    finally:
        conn.close()


def require_server() -> None:
    """Call at module level: skips the module when no server answers, unless WATCHFLOOR_REQUIRE_POSTGRES=1 (CI)."""
    try:
        sql("SELECT 1")
    except psycopg2.OperationalError as exc:
        reason = f"no PostgreSQL server at {PG['host']}:{PG['port']} as user {PG['user']} ({str(exc).strip().splitlines()[0]})"
        if os.environ.get("WATCHFLOOR_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{reason}; WATCHFLOOR_REQUIRE_POSTGRES=1", pytrace=False)
        pytest.skip(reason, allow_module_level=True)


@contextmanager
def fresh_database() -> Iterator[str]:
    """A new, empty database; dropped afterwards (its open connections ended first), also on failure."""
    name = f"watchfloor_test_{uuid.uuid4().hex[:12]}"
    sql(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name])
        sql(f'DROP DATABASE IF EXISTS "{name}"')


def make_home(home: Path, dbname: str) -> dict[str, str]:
    """`home` as a DAGSTER_HOME with the production dagster.yaml; the environment that points it at `dbname`."""
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REPO_ROOT / "config" / "dagster.postgres.yaml", home / "dagster.yaml")
    env = {"DAGSTER_HOME": str(home)}
    for var, value in {"HOST": PG["host"], "PORT": str(PG["port"]), "USER": PG["user"],
                       "PASSWORD": PG["password"], "DB": dbname}.items():
        env[f"DAGSTER_PG_{var}"] = value
    return env
