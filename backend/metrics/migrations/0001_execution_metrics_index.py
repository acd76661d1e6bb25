"""One covering index over executions for the metrics and statistics aggregates.

``(template_id, started_at, status, stopped_at)``: ``GET /metrics`` counts executions per
workflow and status and builds the duration histogram from this index alone (no table
reads: the rows also hold the executions' input and output); ``GET /api/stats/`` reads a
workflow's executions of a time window as one range of it. Raw SQL because the table
belongs to the executions app; the same statement works on SQLite and PostgreSQL.
"""

from django.db import migrations

INDEX = "metrics_execution_cover"

class Migration(migrations.Migration):

    dependencies = [
        ("executions", "0005_history_event_single_index"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {INDEX} ON executions_execution (template_id, started_at, status, stopped_at)",
            reverse_sql=f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
