"""A pure-Python TCSL / Amazon States Language interpreter.

No Django, DRF, Channels or Celery in here (an import-linter contract enforces it):
the Django runtime adapts this library through its journal, resource registry and
clock interfaces.
"""
