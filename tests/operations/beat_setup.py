"""Run by test_beat_workers.py inside ``manage.py shell`` on a fresh PostgreSQL database:
one workflow, three schedules, printed as JSON (their ids, the time)."""

import json
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from backend.schedules.services import schedule_create
from backend.workflows.services import template_create

now = timezone.now()
owner = get_user_model().objects.create_user(username="beat")
template = template_create(owner=owner, name="etl",
                           definition='{"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": true}}}')
every_minute = {"kind": "cron", "cron_expression": "* * * * *"}
schedules = {
    # Its first tick comes about when the workers are up (it stays on time for 60 s).
    "on_time": schedule_create(template=template, name="on-time", kind="rate", rate_seconds=3600,
                               start_at=now.replace(microsecond=0) + timedelta(seconds=3), now=now),
    # Created three hours ago, never ticked since (the service was down).
    "run_once": schedule_create(template=template, name="catch-up", missed_run_policy="run_once",
                                now=now - timedelta(hours=3), **every_minute),
    "skip": schedule_create(template=template, name="skipped", missed_run_policy="skip",
                            now=now - timedelta(hours=3), **every_minute),
}
print(json.dumps({"ids": {key: schedule.pk for key, schedule in schedules.items()},
                  "set_up_at": now.strftime("%Y%m%dT%H%M%SZ")}))
