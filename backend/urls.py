from django.contrib import admin
from django.urls import include, path

from backend.api.wire.root import root
from backend.metrics.views import metrics

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("backend.api.urls")),
    path("metrics", metrics, name="metrics"),
    # Published workflow endpoints (served first by backend.endpoints.asgi under ASGI).
    path("", include("backend.endpoints.urls")),
    # POST / with X-TC-Action (ASW) or X-Amz-Target (Step Functions); GET / is the landing page.
    path("", root, name="root"),
    path("", include("backend.web.urls")),
]
