"""The published endpoints as Django views (``run/<slug>`` in ``backend/urls.py``).

The server answers ``/run/...`` on its ASGI fast path (``backend.endpoints.asgi``) before
these are reached; they serve the same ``handle`` wherever Django routes the request
itself (the test client, a WSGI server).
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from backend.api.errors import ApiError
from backend.endpoints.invocation import Call, Reply, error_reply, handle


def _response(reply: Reply) -> HttpResponse:
    response = HttpResponse(reply.body, status=reply.status)
    for name, value in reply.all_headers():
        response[name] = value
    return response


@csrf_exempt
def run(request: HttpRequest, slug: str, rest: str = "") -> HttpResponse:
    try:
        body = request.body
    except RequestDataTooBig:
        return _response(error_reply(ApiError("PayloadTooLarge", "The request body is too large.")))
    base_url = f"{request.scheme}://{request.get_host()}"
    method = "GET" if request.method == "HEAD" else (request.method or "GET")
    return _response(handle(Call(method=method, slug=slug, rest=rest, api_key=request.headers.get("X-Api-Key"),
                                 body=body, base_url=base_url)))
