"""Create what the endpoint benchmark calls: a 3-state Express workflow published with an API key.

Prints one JSON line: {"slug", "key", "body", "expect"}. Idempotent for its user
(``bench-endpoints``): run again, it publishes a fresh endpoint of the same workflow.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand

from backend.endpoints.services import api_key_create, endpoint_create
from backend.workflows.models import WorkflowTemplate, WorkflowType
from backend.workflows.services import template_create

# Three states: compute (Pass with an intrinsic), branch (Choice), finish (Pass).
BENCH_DEFINITION = {
    "Comment": "endpoint benchmark: three states",
    "StartAt": "Add",
    "States": {
        "Add": {"Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($.a, $.b)"}, "Next": "Big?"},
        "Big?": {"Type": "Choice", "Choices": [{"Variable": "$.sum", "NumericGreaterThan": 100, "Next": "Done"}],
                 "Default": "Done"},
        "Done": {"Type": "Pass", "End": True},
    },
}
BENCH_INPUT = {"a": 2, "b": 3}


class Command(BaseCommand):
    help = "Set up the published Express endpoint the endpoint benchmark calls (prints JSON)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-auth", action="store_true", help="publish without an API key")

    def handle(self, *args: Any, **options: Any) -> None:
        user, _ = User.objects.get_or_create(username="bench-endpoints")
        template = WorkflowTemplate.objects.filter(owner=user, name="bench-3-states").first()
        if template is None:
            template = template_create(owner=user, name="bench-3-states", definition=BENCH_DEFINITION,
                                       type=WorkflowType.EXPRESS)
        auth = "none" if options["no_auth"] else "api_key"
        endpoint = endpoint_create(template=template, name="bench", slug=f"bench-{secrets.token_hex(4)}", auth=auth)
        key = api_key_create(endpoint=endpoint).key if auth == "api_key" else None
        self.stdout.write(json.dumps({"slug": endpoint.slug, "key": key, "body": BENCH_INPUT, "expect": {"sum": 5}}))
