"""Environment variables -> settings: the embedded default and the scale-out switches."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from backend.settings.channel_layers import channel_layer_settings
from backend.settings.database import SQLITE_INIT_COMMAND, database_settings, parse_database_url
from backend.settings.env import env_bool, env_list
from backend.settings.secret_key import secret_key
from backend.settings.task_queue import celery_settings


def test_default_database_is_sqlite_in_wal_mode_in_the_data_folder(tmp_path: Path) -> None:
    default = database_settings({}, tmp_path)["default"]

    assert default["ENGINE"] == "django.db.backends.sqlite3"
    assert default["NAME"] == str(tmp_path / "db.sqlite3")
    assert "PRAGMA journal_mode=WAL" in default["OPTIONS"]["init_command"]
    assert default["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_sqlite_path_overrides_the_data_folder(tmp_path: Path) -> None:
    default = database_settings({"SQLITE_PATH": "/srv/flows.db"}, tmp_path)["default"]
    assert default["NAME"] == "/srv/flows.db"


def test_wal_init_command_really_switches_sqlite_to_wal(tmp_path: Path) -> None:
    import sqlite3

    connection = sqlite3.connect(tmp_path / "probe.sqlite3")
    for statement in SQLITE_INIT_COMMAND.split(";"):
        connection.execute(statement)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    connection.close()


def test_database_url_selects_postgresql_with_every_part(tmp_path: Path) -> None:
    url = "postgresql://flow%40user:p%3Ass@db.internal:6543/flows?sslmode=require"
    default = database_settings({"DATABASE_URL": url}, tmp_path)["default"]

    assert default == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "flows",
        "USER": "flow@user",
        "PASSWORD": "p:ss",
        "HOST": "db.internal",
        "PORT": "6543",
        "OPTIONS": {"sslmode": "require"},
    }


def test_database_url_wins_over_postgres_variables(tmp_path: Path) -> None:
    environ = {"DATABASE_URL": "postgres://u@h/from_url", "POSTGRES_DB": "from_vars"}
    assert database_settings(environ, tmp_path)["default"]["NAME"] == "from_url"


def test_postgres_variables_select_postgresql(tmp_path: Path) -> None:
    environ = {"POSTGRES_DB": "flows", "POSTGRES_USER": "flow", "POSTGRES_PASSWORD": "s3", "POSTGRES_HOST": "pg"}
    default = database_settings(environ, tmp_path)["default"]

    assert default["ENGINE"] == "django.db.backends.postgresql"
    assert (default["NAME"], default["USER"], default["PASSWORD"], default["HOST"], default["PORT"]) == (
        "flows",
        "flow",
        "s3",
        "pg",
        "5432",
    )


def test_sqlite_database_url() -> None:
    default = parse_database_url("sqlite:///var/lib/flows/db.sqlite3")
    assert default["ENGINE"] == "django.db.backends.sqlite3"
    assert default["NAME"] == "/var/lib/flows/db.sqlite3"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u:hunter2@h/db", "unsupported scheme 'mysql'"),
        ("postgresql://u:hunter2@h/", "no database name"),
        ("sqlite://", "sqlite URLs need a file path"),
    ],
)
def test_bad_database_url_names_the_variable_and_hides_the_password(url: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured) as caught:
        parse_database_url(url)
    assert "DATABASE_URL=" in str(caught.value)
    assert message in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_channel_layer_is_in_memory_by_default_and_redis_with_redis_url() -> None:
    assert channel_layer_settings({})["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"
    redis = channel_layer_settings({"REDIS_URL": "redis://cache:6379/2"})["default"]
    assert redis == {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": ["redis://cache:6379/2"]},
    }


def test_celery_runs_tasks_in_process_without_a_broker() -> None:
    settings = celery_settings({})
    assert settings["CELERY_TASK_ALWAYS_EAGER"] is True
    assert settings["CELERY_BROKER_URL"] == "memory://"
    assert settings["CELERY_RESULT_BACKEND"] == "django-db"


def test_celery_broker_url_sends_tasks_to_workers() -> None:
    settings = celery_settings({"CELERY_BROKER_URL": "amqp://guest:guest@mq:5672//"})
    assert settings["CELERY_TASK_ALWAYS_EAGER"] is False
    assert settings["CELERY_BROKER_URL"] == "amqp://guest:guest@mq:5672//"


def test_celery_app_reads_the_django_settings() -> None:
    from django.conf import settings

    from backend.celery import app

    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.task_always_eager is settings.CELERY_TASK_ALWAYS_EAGER
    assert app.conf.result_backend == "django-db"


def test_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    key_file = tmp_path / "data" / "secret_key"
    first = secret_key({}, key_file)

    assert len(first) >= 50
    assert secret_key({}, key_file) == first
    assert key_file.stat().st_mode & 0o077 == 0  # readable by the owner only
    assert secret_key({"DJANGO_SECRET_KEY": "from-env"}, key_file) == "from-env"


def test_env_bool_rejects_what_it_does_not_understand() -> None:
    assert env_bool({"X": "Yes"}, "X", default=False) is True
    assert env_bool({"X": "0"}, "X", default=True) is False
    assert env_bool({}, "X", default=True) is True
    with pytest.raises(ImproperlyConfigured, match="X='maybe'"):
        env_bool({"X": "maybe"}, "X", default=False)


def test_env_list_splits_on_commas() -> None:
    assert env_list({"H": " a.example, b.example ,,"}, "H", default=[]) == ["a.example", "b.example"]
    assert env_list({}, "H", default=["localhost"]) == ["localhost"]
