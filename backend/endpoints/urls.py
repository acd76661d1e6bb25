"""``/run/<slug>``, ``/run/<slug>/openapi.json``, ``/run/<slug>/executions/<name>`` (included at the root)."""

from django.urls import path, re_path

from backend.endpoints import views

urlpatterns = [
    path("run/<str:slug>", views.run, name="endpoint-run"),
    re_path(r"^run/(?P<slug>[^/]+)/(?P<rest>.*)$", views.run, name="endpoint-run-sub"),
]
