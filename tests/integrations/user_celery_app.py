"""A user's own Celery app, as the Celery tests start it: ``celery -A tests.integrations.user_celery_app worker``.

Its results go to django-celery-results (``result_backend = "django-db"``) on the
database ``DATABASE_URL`` names, which is how the orchestrator learns them. Queues:
``TEST_CELERY_QUEUE`` (default) and ``TEST_CELERY_QUEUE`` + ``-other``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
django.setup()  # the result backend writes through Django's ORM

from celery import Celery  # noqa: E402 -- after django.setup()

QUEUE = os.environ.get("TEST_CELERY_QUEUE", "integrations")

app = Celery("shop", set_as_current=False)
app.conf.update(
    broker_url=os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/13"),
    result_backend="django-db",
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_default_queue=QUEUE,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)


class PaymentDeclined(Exception):
    pass


@app.task(name="shop.add")
def add(a: int, b: int) -> int:
    return a + b


@app.task(name="shop.bill")
def bill(order: dict) -> dict:
    if order.get("card") == "stolen":
        raise PaymentDeclined(f"card declined for order {order['id']}")
    return {"order": order["id"], "billed": order["total"]}


@app.task(name="shop.record")
def record(path: str, line: str) -> str:
    """Appends ``line`` to ``path``: how a test counts the times a task really ran."""
    with Path(path).open("a") as file:
        file.write(line + "\n")
    return line


@app.task(name="shop.slow")
def slow(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


@app.task(name="shop.where")
def where() -> str:
    """Which queue delivered this call."""
    return where.request.delivery_info.get("routing_key", "")
