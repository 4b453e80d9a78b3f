"""The lake on object storage, against a real S3-compatible server on loopback (moto, tests/support/s3_server.py).

A backfill through the `watchfloor` command on an s3:// lake gives the tables, sections and reports a
local-disk lake gives, and the analysts' catalog reads it; a write killed in the middle of its PUT
leaves the previous object whole; two processes writing partitions at once lose neither (nor the
snapshot's record of them); bad configuration gives one clear line; the secret key reaches no log,
no Dagster record and no file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests.support import s3_server as s3
from tests.support.golden import REPO_ROOT, digests, run_watchfloor
from watchfloor.core.tables import SCHEMAS

s3.require_packages()

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("object_storage")]
WEEKS = ("2026-06-10", "2026-06-24")  # three sample weeks
COUNTRIES = "MN,PL"


@pytest.fixture(scope="module")
def server():
    with s3.s3_server() as running:
        yield running


@pytest.fixture
def s3_env(server: s3.S3Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """This process and its children pointed at the server, with a fresh bucket as WATCHFLOOR_DATA."""
    env = {**server.env, "WATCHFLOOR_DATA": f"s3://{server.new_bucket()}/watchfloor",
           "WATCHFLOOR_LOCAL_DIR": str(tmp_path / "local")}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def rows(table: str, n: int, **columns: list) -> pl.DataFrame:
    """n rows of the table: the given columns, every other one null."""
    return pl.DataFrame({name: columns.get(name, [None] * n) for name in SCHEMAS[table]}, schema=SCHEMAS[table])


def test_a_backfill_on_object_storage_gives_what_local_disk_gives(server: s3.S3Server, s3_env, tmp_path: Path):
    backfill = ["backfill", "--from", WEEKS[0], "--to", WEEKS[1]]
    local = tmp_path / "disk"
    run_watchfloor(backfill, local, tmp_path / "home-disk", WATCHFLOOR_COUNTRIES=COUNTRIES)
    url = s3_env["WATCHFLOOR_DATA"]
    environment = {**os.environ, "DAGSTER_HOME": str(tmp_path / "home-s3"), "WATCHFLOOR_COUNTRIES": COUNTRIES}
    environment.pop("OPENAI_API_KEY", None)
    done = subprocess.run([sys.executable, "-m", "orchestration.cli", *backfill], cwd=REPO_ROOT, env=environment,
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    output = done.stdout + done.stderr  # everything the command printed, logs included

    fs = server.filesystem()
    copy = tmp_path / "bucket-copy"
    fs.get(url.removeprefix("s3://"), str(copy), recursive=True)
    on_disk = digests(local, {str(local): "<data>"})
    on_s3 = digests(copy, {url: "<data>"})
    assert int(on_disk["rows/events"]) > 0 and int(on_disk["rows/articles"]) > 0
    reports = {name for name in on_disk if name.startswith("reports/")}
    assert reports and reports == {name for name in on_s3 if name.startswith("reports/")}
    assert on_s3 == on_disk

    catalog = tmp_path / "local" / "warehouse.duckdb"
    assert str(catalog) in output
    _the_catalog_reads_the_bucket(catalog, local, fs)
    _the_secret_is_nowhere(server.secret_key, output, [tmp_path / "home-s3", tmp_path / "local", copy])


def _the_catalog_reads_the_bucket(catalog: Path, local: Path, fs) -> None:
    """From Python: every view, once the filesystem is registered; the duckdb shell: the snapshot tables."""
    query = ("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events), (SELECT count(*) FROM events_mn), "
             "(SELECT count(*) FROM assessments)")
    with duckdb.connect(str(local / "warehouse.duckdb"), read_only=True) as con:
        expected = con.sql(query).fetchall()
    assert expected[0][3] == 6  # three weeks, two countries
    with duckdb.connect(str(catalog), read_only=True) as con:
        assert con.sql("SELECT count(*) FROM assessments").fetchall() == [(6,)]  # a local snapshot copy
        with pytest.raises(duckdb.Error, match="httpfs"):
            con.sql("SELECT count(*) FROM articles").fetchall()
        con.register_filesystem(fs)
        assert con.sql(query).fetchall() == expected

    shell = REPO_ROOT / ".venv" / "bin" / "duckdb"
    if shell.exists():
        done = subprocess.run([str(shell), "-readonly", str(catalog), "-csv", "-noheader", "-c",
                               "SELECT count(*) FROM events_mn"], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and done.stdout.strip() == str(expected[0][2]), done.stderr
        done = subprocess.run([str(shell), "-readonly", str(catalog), "-c", "SELECT count(*) FROM articles"],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode != 0 and "httpfs" in done.stderr


def _the_secret_is_nowhere(secret: str, output: str, folders: list[Path]) -> None:
    """Not in the command's output, nor in any file of the Dagster instance (run config, event logs with
    every materialisation's metadata, compute logs), the local folder or the bucket's objects."""
    assert secret not in output
    files = [p for folder in folders for p in folder.rglob("*") if p.is_file()]
    assert not [str(p) for p in files if secret.encode() in p.read_bytes()]
    import dagster as dg

    with dg.DagsterInstance.from_config(str(folders[0])) as instance:
        records = instance.fetch_materializations(dg.AssetKey("security_assessment"), limit=100).records
        assert records and not any(secret in repr(r.asset_materialization.metadata) for r in records)
        assert not any(secret in repr(run.run_config) for run in instance.get_runs())


WRITER = """
import secrets, sys
from datetime import date
import polars as pl
from watchfloor.core import storage
from watchfloor.core.lake import Lake
from watchfloor.core.tables import SCHEMAS

lake, n = Lake.at(sys.argv[1]), int(sys.argv[2])
put = storage.put
def announced_put(*args, **kwargs):
    print("upload", flush=True)
    put(*args, **kwargs)
    print("uploaded", flush=True)
storage.put = announced_put
for version in range(1, 1000):
    values = {"article_id": [f"v{version}-{secrets.token_hex(8)}" for _ in range(n)], "week": [date(2026, 6, 24)] * n}
    schema = SCHEMAS["article_words"]
    frame = pl.DataFrame({c: values.get(c, [None] * n) for c in schema}, schema=schema)
    lake.replace_week("article_words", date(2026, 6, 24), frame)
    print(f"written {version}", flush=True)
"""


def test_a_write_killed_mid_put_leaves_the_old_object_whole(server: s3.S3Server, s3_env, tmp_path: Path):
    from watchfloor.core.lake import Lake

    lake = Lake.at(s3_env["WATCHFLOOR_DATA"])
    other = date(2026, 6, 17)
    lake.replace_week("article_words", other, rows("article_words", 3, article_id=["a", "b", "c"], week=[other] * 3))
    n = 100_000  # about 1.3 MB of Parquet: 2.5 s on the wire through the proxy
    with s3.slow_proxy(server.endpoint, bytes_per_second=512 * 1024) as proxy:
        env = {**os.environ, **s3_env, "AWS_ENDPOINT_URL": proxy}
        writer = subprocess.Popen([sys.executable, "-c", WRITER, s3_env["WATCHFLOOR_DATA"], str(n)], cwd=REPO_ROOT,
                                  stdout=subprocess.PIPE, text=True, env=env)
        lines: list[str] = []
        while not (lines and lines[-1] == "upload" and any(x.startswith("written") for x in lines)):
            lines.append(writer.stdout.readline().strip())
            assert lines[-1], f"the writer stopped: {lines}"
        time.sleep(0.5)  # the PUT's body is on its way
        writer.send_signal(signal.SIGKILL)
        rest = writer.stdout.read().split()
        writer.wait(timeout=10)
    assert "uploaded" not in rest, "the PUT finished before the kill: nothing was tested"

    completed = max(int(x.split()[1]) for x in lines if x.startswith("written"))
    stored = lake.read_week("article_words", date(2026, 6, 24))
    assert stored.height == n
    assert set(stored["article_id"].str.extract(r"^v(\d+)-").cast(int)) == {completed}  # the old version, whole
    assert lake.read_week("article_words", other)["article_id"].to_list() == ["a", "b", "c"]
    keys = sorted(storage_keys(lake.table_dir("article_words")))
    assert keys == ["week=2026-06-17/part-0.parquet", "week=2026-06-24/part-0.parquet"]  # nothing half-written


def storage_keys(folder) -> list[str]:
    from watchfloor.core import storage

    return [u.removeprefix(storage.url(folder) + "/") for u in storage.listing(folder, "")]


PARTITION_WRITER = """
import sys
from datetime import date, timedelta
import polars as pl
from watchfloor.core.lake import Lake
from watchfloor.core.tables import SCHEMAS

lake, country = Lake.at(sys.argv[1]), sys.argv[2]
for n in range(int(sys.argv[3])):
    week = date(2026, 1, 7) + timedelta(days=7 * n)
    values = {"event_id": [f"{country}-{n}"], "week": [week], "country": [country]}
    frame = pl.DataFrame({c: values.get(c, [None]) for c in SCHEMAS["events"]}, schema=SCHEMAS["events"])
    lake.replace_week("events", week, frame, country=country)
    lake.refresh_snapshot("events")
"""


def test_two_processes_writing_partitions_at_once_lose_nothing(s3_env):
    from watchfloor.core import storage
    from watchfloor.core.lake import Lake, _object_listing_digest, snapshot_listing

    weeks = 12
    command = [sys.executable, "-c", PARTITION_WRITER, s3_env["WATCHFLOOR_DATA"]]
    writers = [subprocess.Popen([*command, country, str(weeks)], cwd=REPO_ROOT, env={**os.environ, **s3_env})
               for country in ("MN", "PL")]
    assert [w.wait(timeout=300) for w in writers] == [0, 0]

    lake = Lake.at(s3_env["WATCHFLOOR_DATA"])
    expected = sorted(f"{c}-{n}" for c in ("MN", "PL") for n in range(weeks))
    first, last = date(2026, 1, 7), date(2026, 1, 7) + timedelta(days=7 * (weeks - 1))
    written = lake.read_weeks("events", [first + timedelta(days=7 * n) for n in range(weeks)])
    assert sorted(written["event_id"]) == expected
    # The snapshot, as the last writer left it (no refresh since), holds every partition of both.
    snapshot = lake.snapshot_path("events")
    assert snapshot_listing(snapshot) == _object_listing_digest(storage.listing(lake.table_dir("events"), ".parquet"))
    held = pl.read_parquet(storage.url(snapshot), storage_options=storage.polars_options())
    assert sorted(held["event_id"]) == expected and held["week"].min() == first and held["week"].max() == last
    assert lake.refresh_snapshot("events") is False


@pytest.mark.parametrize(("data", "message"), [
    ("s3://no-such-bucket-here/x", "bucket 'no-such-bucket-here' does not exist: create it or fix the URL"),
    ("s3:///prefix-without-bucket", "names no bucket"),
    ("s3://Not_A_Bucket/x", "'Not_A_Bucket' is not a valid bucket name"),
    ("gs://bucket/prefix", "unsupported scheme 'gs'"),
])
def test_bad_object_storage_configuration_is_one_clear_line(server: s3.S3Server, tmp_path: Path, data: str,
                                                            message: str):
    done = _watchfloor_run({**server.env, "WATCHFLOOR_DATA": data}, tmp_path)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr
    assert server.secret_key not in done.stdout + done.stderr


def test_an_unreachable_endpoint_fails_fast_and_names_it(server: s3.S3Server, tmp_path: Path):
    dead = f"http://127.0.0.1:{s3.free_port()}"
    started = time.monotonic()
    done = _watchfloor_run({**server.env, "AWS_ENDPOINT_URL": dead, "WATCHFLOOR_DATA": "s3://bucket/prefix"}, tmp_path)
    assert done.returncode == 2, done.stderr
    assert f"s3://bucket/prefix at {dead}: the object store cannot be used" in done.stderr
    assert "Traceback" not in done.stderr and server.secret_key not in done.stdout + done.stderr
    assert time.monotonic() - started < 60


def _watchfloor_run(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    environment = {**os.environ, **env, "DAGSTER_HOME": str(tmp_path / "home"),
                   "WATCHFLOOR_LOCAL_DIR": str(tmp_path / "local")}
    return subprocess.run([sys.executable, "-m", "orchestration.cli", "run", "--no-fetch", "--week", "2026-06-24"],
                          cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=120)
