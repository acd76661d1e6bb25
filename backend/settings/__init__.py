"""Django settings (DJANGO_SETTINGS_MODULE=backend.settings), one module per concern.

With no environment variables this is the embedded default: SQLite in WAL mode under
DATA_DIR, the in-memory channel layer, Celery tasks run in-process. Scale-out is chosen
by environment variables (see README.md, "Settings"):

    DATABASE_URL or POSTGRES_DB/USER/PASSWORD/HOST/PORT   PostgreSQL through psycopg 3
    REDIS_URL                                             channel layer on Redis
    CELERY_BROKER_URL                                     tasks on Celery workers
"""

import os

from backend.settings.base import *  # noqa: F403 -- the settings module is a flat namespace
from backend.settings.api import *  # noqa: F403
from backend.settings.base import DATA_DIR
from backend.settings.channel_layers import channel_layer_settings
from backend.settings.database import database_settings
from backend.settings.engine import engine_settings
from backend.settings.metrics import metrics_settings
from backend.settings.operations import operations_settings
from backend.settings.task_queue import celery_settings

DATABASES = database_settings(os.environ, DATA_DIR)
CHANNEL_LAYERS = channel_layer_settings(os.environ)
globals().update(celery_settings(os.environ))
globals().update(engine_settings(os.environ))
globals().update(operations_settings(os.environ))
globals().update(metrics_settings(os.environ))
