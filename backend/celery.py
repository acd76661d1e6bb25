"""The Celery application: `celery -A backend.celery worker`.

Configured from Django settings (CELERY_* names, see backend/settings/task_queue.py).
Deliberately not imported by backend/__init__.py: `python -m backend.engine` must
start without Django or Celery.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

app = Celery("backend")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
