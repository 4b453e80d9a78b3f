"""A run killed in the middle of a write loses nothing stored, and a re-run completes the partition."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import dagster as dg

from tests.support.factories import pipeline_assets, resources
from watchfloor.core import warehouse
from watchfloor.core.lake import STALE_TEMPORARY, Lake

WEEK = "2026-06-24"

# Materialises the week in a child process whose Parquet write stalls halfway (a half-written
# temporary file on disk) until the parent kills it with SIGKILL: no cleanup code gets to run.
KILLED_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import dagster as dg
    import polars as pl
    sys.path.insert(0, {root!r})
    from tests.support.factories import pipeline_assets, resources

    def stall(self, file, **kwargs):
        Path(file).write_bytes(b"PAR1 half written")
        Path({marker!r}).touch()
        time.sleep(600)

    pl.DataFrame.write_parquet = stall
    dg.materialize(pipeline_assets(), selection="articles", partition_key={week!r},
                   instance=dg.DagsterInstance.get(), resources=resources(Path({data!r})))
    """
)


def test_a_killed_run_leaves_the_previous_partition_and_a_rerun_completes_it(
    data_dir, sample_feeds_over_http, tmp_path, monkeypatch
):
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    lake = Lake(data_dir)
    with dg.DagsterInstance.get() as instance:
        res = resources(data_dir, sample_feeds_over_http)
        assert dg.materialize(pipeline_assets(), selection="raw_feeds", instance=instance, resources=res).success
        assert dg.materialize(pipeline_assets(), selection="articles", partition_key=WEEK, instance=instance,
                              resources=res).success
    before = lake.read_week("articles", date.fromisoformat(WEEK))

    marker = tmp_path / "stalled"
    script = KILLED_WRITER.format(root=str(Path(__file__).resolve().parents[2]), marker=str(marker), week=WEEK, data=str(data_dir))
    child = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert child.poll() is None and time.monotonic() < deadline, "the writer never reached its write"
        time.sleep(0.1)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()

    leftovers = list(lake.temporary_dir.iterdir())
    assert leftovers  # the half-written file is there, out of the readers' way
    assert lake.read_week("articles", date.fromisoformat(WEEK)).equals(before)
    with warehouse.connect_read_only(lake) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchall() == [(before.height,)]

    with dg.DagsterInstance.get() as instance:
        rerun = dg.materialize(pipeline_assets(), selection="articles", partition_key=WEEK, instance=instance,
                               resources=resources(data_dir))
    assert rerun.success
    assert lake.read_week("articles", date.fromisoformat(WEEK)).equals(before)
    assert all(p.exists() for p in leftovers)  # too recent to be known dead: a run may still be writing it

    stale = time.time() - STALE_TEMPORARY.total_seconds() - 60
    for path in leftovers:
        os.utime(path, (stale, stale))
    with dg.DagsterInstance.get() as instance:
        assert dg.materialize(pipeline_assets(), selection="articles", partition_key=WEEK, instance=instance,
                              resources=resources(data_dir)).success
    assert not any(p.exists() for p in leftovers)  # a later run swept them
