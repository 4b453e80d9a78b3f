"""The Celery app of a Watchfloor worker: `celery -A orchestration.celery_worker worker -n NAME@%h -c 1`.

Run from the repository root with the same environment as the daemon (WATCHFLOOR_*, DAGSTER_HOME):
each step it takes loads the code location from that environment (README, "Beyond one machine").
"""

from orchestration.executors import celery_worker_app

app = celery_worker_app()
