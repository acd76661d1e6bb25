"""Live streams over WebSockets (Django Channels): history events and status changes.

* ``consumers.py`` / ``routing.py``: the three WebSocket routes (docs/api.md, "Live streams").
* ``publishing.py``: what the runtime calls after it commits events or changes a status;
  it publishes to the channel layer only for streams somebody watches (``watchers.py``).
* ``streams.py``: the database reads the consumers make (snapshots, gap filling).
"""
