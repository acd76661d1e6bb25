"""SQL pieces the ORM has no portable spelling for: epoch seconds and floor, per database."""

from __future__ import annotations

from django.db import connection


def epoch_seconds(column: str) -> str:
    """A datetime column as epoch seconds (a float, microsecond precision)."""
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(EPOCH FROM {column}) AS DOUBLE PRECISION)"
    if connection.vendor == "sqlite":
        # Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC): the whole seconds through julianday,
        # rounded (its double is off by tens of microseconds at today's dates), plus the fraction
        # as written.
        return (f"(round((julianday(substr({column}, 1, 19)) - 2440587.5) * 86400.0) "
                f"+ COALESCE(CAST(NULLIF(substr({column}, 20, 7), '') AS REAL), 0.0))")
    raise NotImplementedError(f"metrics: no epoch expression for the {connection.vendor} database")


def duration_seconds(started: str, stopped: str, *, precise: bool = True) -> str:
    """NULL while ``stopped`` is NULL. ``precise=False`` is about twice as fast on SQLite and
    good to the millisecond (julianday reads three digits of the seconds' fraction)."""
    if not precise and connection.vendor == "sqlite":
        return f"((julianday({stopped}) - julianday({started})) * 86400.0)"
    return f"({epoch_seconds(stopped)} - {epoch_seconds(started)})"


def floor_non_negative(expression: str) -> str:
    """FLOOR of a value >= 0 as an integer (SQLite's CAST truncates; PostgreSQL's rounds)."""
    if connection.vendor == "postgresql":
        return f"CAST(FLOOR({expression}) AS BIGINT)"
    return f"CAST({expression} AS INTEGER)"


def column(model: type, name: str) -> str:
    """``"table"."column"`` of a model's field, quoted for this database."""
    quote = connection.ops.quote_name
    return f"{quote(model._meta.db_table)}.{quote(model._meta.get_field(name).column)}"
