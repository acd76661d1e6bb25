"""Compiled state fields shared by several state types (I/O processing, Assign, Retry, Catch ...)."""
