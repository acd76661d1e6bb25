"""Errors of the schedule services (``code`` is what the API answers with)."""

from __future__ import annotations

from backend.workflows.errors import ServiceError


class InvalidSchedule(ServiceError):
    code = "ValidationException"


class ScheduleAlreadyExists(InvalidSchedule):
    code = "ResourceAlreadyExists"
