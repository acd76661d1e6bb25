"""JSON bodies with a size cap checked before reading, so a huge body is a 413, not a slow 500."""

from __future__ import annotations

from django.conf import settings
from rest_framework.parsers import JSONParser

from backend.api.errors import ApiError


def max_body_bytes() -> int:
    return int(getattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", None) or 2_621_440)


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):  # type: ignore[no-untyped-def]
        request = (parser_context or {}).get("request")
        if request is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            limit = max_body_bytes()
            if length > limit:
                raise ApiError("PayloadTooLarge", f"The request body is {length} bytes; the limit is {limit} bytes.")
        return super().parse(stream, media_type, parser_context)
