"""Facilitated workshops: sessions, hot-seat and network play."""

DEFAULT_PORT = 8765  # where a workshop host listens unless told otherwise
