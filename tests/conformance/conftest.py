"""Registers the ``conformance`` marker (pytest runs with --strict-markers)."""

from __future__ import annotations


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "conformance: runs the AWS-recorded conformance corpus through the CLI")
