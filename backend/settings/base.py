"""Settings that do not depend on which database, channel layer or broker is used."""

from __future__ import annotations

import os
from pathlib import Path

from backend.settings.env import env_bool, env_list
from backend.settings.secret_key import secret_key

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Where the embedded default keeps its state: the SQLite database and the secret key.
DATA_DIR = Path(os.environ.get("DATA_DIR") or BASE_DIR / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = secret_key(os.environ, DATA_DIR / "secret_key")
DEBUG = env_bool(os.environ, "DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env_list(os.environ, "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list(os.environ, "DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "daphne",  # first: its runserver replaces Django's, so `manage.py runserver` speaks ASGI
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "django_celery_results",
    "backend.web",
    "backend.workflows",
    "backend.executions",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "backend.accounts",
    "backend.api",
    "django_celery_beat",
    "backend.schedules",
    "backend.audit",
    "backend.alerts",
    "backend.connections",
    "backend.metrics",
    "backend.endpoints",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "backend.audit.middleware.AuditContextMiddleware",
]

ROOT_URLCONF = "backend.urls"
ASGI_APPLICATION = "backend.asgi.application"
WSGI_APPLICATION = "backend.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Served by WhiteNoise straight from the apps' static folders: the single daphne
# process needs no collectstatic step and no separate web server. Set STATIC_ROOT
# only to collect them for another web server.
STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = True
# The web app (`npm run build:frontend`, Vite base /static/app/): its index.html is the
# page at "/", its assets are static files under app/. Absent until built.
FRONTEND_DIST_DIR = BASE_DIR / "frontend" / "dist"
STATICFILES_DIRS = [("app", FRONTEND_DIST_DIR)] if FRONTEND_DIST_DIR.is_dir() else []

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
