"""Token buckets kept in the footprint database, so every worker and instance enforces one limit.

One ``INSERT ... ON CONFLICT DO UPDATE ... WHERE`` statement refills and takes a token atomically
(PostgreSQL and SQLite alike); a request that finds the bucket empty changes nothing. Client
addresses are stored only as a keyed hash. Buckets that have refilled completely are deleted now
and then, so the table holds only clients seen recently.
"""

from __future__ import annotations

import hashlib
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, and_, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from webapp.footprint.db import WRITE_OPTION
from webapp.footprint.models import RateBucket
from webapp.footprint.ratelimit import parse_rate

# One take in this many, per process, also deletes the buckets that are full again.
_SWEEP_EVERY = 500
_TABLE: Any = RateBucket.__table__


def client_key(address: str) -> str:
    """The stored form of a client address: 128 bits of a hash, not the address."""
    return hashlib.sha256(b"greenroute-rate:" + address.encode("utf-8", "replace")).hexdigest()[:32]


@dataclass
class DatabaseBucket:
    """``capacity`` tokens per client, refilled at ``per_second``, in the ``name`` rows of the table."""

    name: str
    capacity: int
    per_second: float
    engine: Engine
    _takes: itertools.count[int] = field(default_factory=itertools.count)

    @classmethod
    def from_rate(cls, name: str, text: str, *, engine: Engine) -> DatabaseBucket:
        """A bucket for a rate written as ``"N/period"``."""
        capacity, per_second = parse_rate(text)
        return cls(name=name, capacity=capacity, per_second=per_second, engine=engine)

    def take(self, address: str, *, now: float | None = None) -> float:
        """Take a token for ``address``: 0 when allowed, else the seconds until one is available."""
        now = time.time() if now is None else now
        key = client_key(address)
        t = _TABLE
        # Requests of other threads or instances may have stored a slightly later "now" than ours:
        # time never runs backwards for a bucket (else a fast rate would drain it at once).
        elapsed = case((t.c.updated > now, 0.0), else_=now - t.c.updated)
        latest = case((t.c.updated > now, t.c.updated), else_=now)
        refilled = t.c.tokens + elapsed * self.per_second
        capped = case((refilled > self.capacity, float(self.capacity)), else_=refilled)
        insert = (postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert)(t)
        stmt = (
            insert.values(bucket=self.name, client=key, tokens=float(self.capacity) - 1.0, updated=now)
            .on_conflict_do_update(
                index_elements=[t.c.bucket, t.c.client],
                set_={"tokens": capped - 1.0, "updated": latest},
                where=capped >= 1.0,
            )
            .returning(t.c.tokens)
        )
        engine = self.engine.execution_options(**{WRITE_OPTION: True})
        with engine.begin() as conn:
            taken = conn.execute(stmt).first()
            if taken is None:
                row = conn.execute(
                    select(t.c.tokens, t.c.updated).where(and_(t.c.bucket == self.name, t.c.client == key))
                ).first()
            if next(self._takes) % _SWEEP_EVERY == _SWEEP_EVERY - 1:
                full_after_s = self.capacity / self.per_second
                conn.execute(delete(t).where(and_(t.c.bucket == self.name, t.c.updated < now - full_after_s)))
        if taken is not None:
            return 0.0
        tokens = 0.0 if row is None else min(float(self.capacity), row[0] + max(0.0, now - row[1]) * self.per_second)
        return max(0.0, (1.0 - tokens) / self.per_second)
