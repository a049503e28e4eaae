"""Tests of the footprint log (run against SQLite, and PostgreSQL when configured)."""
