"""The host root ``/``: POST with ``X-TC-Action`` is the ASW API, POST with
``X-Amz-Target: AWSStepFunctions.*`` the Step Functions API; anything else is the web app."""

from __future__ import annotations

import json
import logging
import uuid

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from backend.api.wire import asw, sfn
from backend.web.views import landing

logger = logging.getLogger(__name__)


@csrf_exempt  # signed requests carry no CSRF token; browsers' GET / still goes to the landing page
def root(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if "X-TC-Action" in request.headers:
            return _guarded(asw.handle, request, asw_fallback=True)
        if request.headers.get("X-Amz-Target", "").startswith(sfn.TARGET_PREFIX):
            return _guarded(sfn.handle, request, asw_fallback=False)
    return landing(request)


def _guarded(handler, request: HttpRequest, *, asw_fallback: bool) -> HttpResponse:  # type: ignore[no-untyped-def]
    """Our own bugs still answer in the protocol's envelope (and are logged), never as an HTML 500."""
    try:
        return handler(request)
    except Exception:
        logger.exception("unexpected error in the %s API", "ASW" if asw_fallback else "Step Functions")
        request_id = str(uuid.uuid4())
        if asw_fallback:
            return JsonResponse({"Response": {"Error": {"Code": "InternalError", "Message": "Internal error."},
                                              "RequestId": request_id}})
        response = HttpResponse(json.dumps({"__type": "InternalFailure", "message": "Internal error."}),
                                content_type=sfn.CONTENT_TYPE, status=500)
        response["x-amzn-RequestId"] = request_id
        response["x-amzn-ErrorType"] = "InternalFailure"
        return response
