"""Metrics: ``GET /metrics`` (Prometheus text), the statistics behind ``GET /api/stats/``,
and the optional delivery of history events as JSON lines (docs/operations.md, "Metrics")."""
