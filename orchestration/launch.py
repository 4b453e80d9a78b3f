"""How the `watchfloor` command executes a run: with the deployment's executor (WATCHFLOOR_EXECUTOR).

`multiprocess` (the default): the job in the command's own process (`execute_in_process`), every
step in that process. `celery`: the command's process is the run's orchestrator, as the process the
daemon starts for a run is (`dagster.execute_job` of a reconstructable job), and each step is a task
for the Celery workers (orchestration/executors.py). A worker loads the job through the functions
below, so it resolves it from the code location in its own environment.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import dagster as dg

from orchestration.executors import CelerySettings, executor_name


def _resolved(name: str) -> dg.JobDefinition:
    from orchestration.definitions import definitions

    return definitions().resolve_job_def(name)


def poll_feeds_job() -> dg.JobDefinition:
    return _resolved("poll_feeds")


def weekly_articles_job() -> dg.JobDefinition:
    return _resolved("weekly_articles")


def country_week_job() -> dg.JobDefinition:
    return _resolved("country_week")


# module-level functions, so that `dagster.reconstructable` can point a worker at them
JOBS: dict[str, Callable[[], dg.JobDefinition]] = {
    "poll_feeds": poll_feeds_job,
    "weekly_articles": weekly_articles_job,
    "country_week": country_week_job,
}


@dataclass(frozen=True)
class Launcher:
    """Runs one job of the code location `defs` for the command, in process or with its steps on Celery."""

    defs: dg.Definitions
    executor: str  # one of orchestration.executors.EXECUTORS

    @classmethod
    def from_environment(cls, defs: dg.Definitions) -> Launcher:
        return cls(defs, executor_name())

    @property
    def in_process(self) -> bool:
        return self.executor == "multiprocess"

    def where(self) -> str | None:
        """The line saying where the steps run, when not in this process (the queue, never the broker URL)."""
        if self.in_process:
            return None
        return f"  steps on Celery workers, queue {CelerySettings.from_environment().queue}"

    def run(self, name: str, instance: dg.DagsterInstance, run_config: Mapping, partition_key: str | None = None,
            tags: Mapping[str, str] | None = None) -> dg.ExecuteInProcessResult | dg.JobExecutionResult:
        """One run of the job `name` (over one partition, or over the range its tags give); its result
        (all_events, success, run_id), also when a step failed."""
        job = self.defs.resolve_job_def(name)
        if self.in_process:
            return job.execute_in_process(instance=instance, partition_key=partition_key, tags=tags,
                                          run_config=run_config, raise_on_error=False)
        run_tags = {tag: str(value) for tag, value in (tags or {}).items()}  # a MultiPartitionKey as its string
        if partition_key is not None:  # the tags execute_in_process gives: dagster/partition (and each dimension's)
            run_tags.update(job.get_tags_for_partition_key(str(partition_key), None))
        return dg.execute_job(dg.reconstructable(JOBS[name]), instance=instance, run_config=run_config,
                              tags=run_tags, raise_on_error=False)
