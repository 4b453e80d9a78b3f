"""Which executor runs a job's steps, chosen per deployment by WATCHFLOOR_EXECUTOR.

`multiprocess` (the default) is Dagster's own: each step in a subprocess of the run's process, or
all in that process when the run config says `in_process`. `celery` is dagster-celery's
`celery_executor`: each step becomes a task on a broker queue, executed by whichever Celery worker
takes it, on this machine or another (`celery -A orchestration.celery_worker worker`, README
"Beyond one machine"). The executor and the workers read the same variables, so one environment
configures both.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

import dagster as dg

from watchfloor.core.config import ConfigError

EXECUTORS = ("multiprocess", "celery")
DEFAULT_BROKER = "pyamqp://guest:guest@127.0.0.1:5672//"
DEFAULT_BACKEND = "redis://127.0.0.1:6379/0"
DEFAULT_QUEUE = "dagster"  # dagster-celery's default queue


@dataclass(frozen=True)
class CelerySettings:
    broker: str
    backend: str
    queue: str

    @classmethod
    def from_environment(cls) -> CelerySettings:
        from celery.app.backends import BACKEND_ALIASES
        from kombu.transport import TRANSPORT_ALIASES

        return cls(
            broker=_url("WATCHFLOOR_CELERY_BROKER", DEFAULT_BROKER, TRANSPORT_ALIASES),
            backend=_url("WATCHFLOOR_CELERY_BACKEND", DEFAULT_BACKEND, BACKEND_ALIASES),
            queue=os.environ.get("WATCHFLOOR_CELERY_QUEUE", "").strip() or DEFAULT_QUEUE,
        )

    def celery_config(self) -> dict:
        """Settings the executor's app and every worker's app share."""
        return {
            "task_default_queue": self.queue,
            # A step's message is acknowledged only once the step has run: a worker lost mid-step
            # (SIGKILL, a dead host) leaves it on the broker, which hands it to another worker.
            "task_acks_late": True,
            # A pool process killed under a live worker (the OOM killer) requeues its step too,
            # instead of failing the run with WorkerLostError.
            "task_reject_on_worker_lost": True,
            # Each worker holds only the step it runs, so a lost worker takes no queued step with it.
            "worker_prefetch_multiplier": 1,
            "broker_connection_retry_on_startup": True,
        }


def _url(variable: str, default: str, schemes: dict) -> str:
    value = os.environ.get(variable, "").strip() or default
    scheme = urlsplit(value).scheme
    if "://" not in value or scheme.split("+")[0] not in schemes:
        raise ConfigError(f"{variable} must be a URL such as {default} (scheme one of {', '.join(sorted(schemes))}); "
                          f"got one with scheme {scheme or 'none'!r}")
    return value


def executor_name() -> str:
    """WATCHFLOOR_EXECUTOR, checked: `multiprocess` (also when unset) or `celery`. The one place that
    reads it, for the code location's executor and for how the `watchfloor` command runs a job."""
    chosen = os.environ.get("WATCHFLOOR_EXECUTOR", "").strip().lower() or "multiprocess"
    if chosen not in EXECUTORS:
        raise ConfigError(f"WATCHFLOOR_EXECUTOR={chosen!r} is not an executor: use one of {', '.join(EXECUTORS)}")
    return chosen


def executor_from_environment() -> dg.ExecutorDefinition:
    """The executor every job of the code location runs with (WATCHFLOOR_EXECUTOR)."""
    if executor_name() == "multiprocess":
        return dg.multi_or_in_process_executor
    try:
        from dagster_celery import celery_executor
    except ImportError:
        raise ConfigError("WATCHFLOOR_EXECUTOR=celery needs dagster-celery, not installed: run `make install`") from None
    settings = CelerySettings.from_environment()
    # bound here, not in the run config, which Dagster stores with every run (a password with it)
    return celery_executor.configured({"broker": settings.broker, "backend": settings.backend,
                                       "config_source": settings.celery_config()})


def celery_worker_app():
    """The Celery app a worker runs: dagster-celery's step task on the broker and queue of the environment."""
    from dagster_celery.executor import CeleryExecutor
    from dagster_celery.make_app import make_app
    from dagster_celery.tasks import create_task
    from kombu import Queue

    settings = CelerySettings.from_environment()
    app = make_app(CeleryExecutor.for_cli(broker=settings.broker, backend=settings.backend,
                                          config_source=settings.celery_config()).app_args())
    # declared as the executor declares it when it sends the first step, so no -Q is needed
    app.conf.task_queues = [Queue(settings.queue, routing_key=settings.queue)]
    create_task(app)
    return app
