"""ASGI entry point, served by daphne: `daphne backend.asgi:application`.

HTTP goes to Django; WebSockets (the live streams, ``backend/live/routing.py``) to
Channels' consumers.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

# Set up Django before anything imports models (Channels consumers will).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from backend.endpoints.asgi import endpoint_router  # noqa: E402
from backend.live.routing import websocket_application  # noqa: E402

application = ProtocolTypeRouter({
    # /run/<slug> (published workflow endpoints) is answered before Django's middleware stack.
    "http": endpoint_router(django_asgi_app),
    # /ws/...: the live streams of executions and workflows (backend/live, docs/api.md)
    "websocket": websocket_application(),
})

# Embedded mode: this server process also runs workflow executions (docs/runtime.md) and
# starts scheduled runs and alerts (docs/operations.md); both stay off when Celery is configured.
from backend.executions.runner.embedded import start_embedded_runner  # noqa: E402
from backend.schedules.loop import start_embedded_scheduler  # noqa: E402

start_embedded_runner()
start_embedded_scheduler()
