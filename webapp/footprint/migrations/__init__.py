"""Alembic migrations of the footprint tables, shipped inside the package."""
