"""Who is asking: personal keys (default) or accounts, both carried by one HttpOnly cookie.

The server keeps only SHA-256 hashes of keys and session tokens. A key is 160 random bits, so a
fast hash is enough (nothing to brute-force) and lets the server look it up directly; passwords,
which people choose, are hashed with argon2id instead.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
import secrets
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, request
from flask.wrappers import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.errors import ApiError
from webapp.footprint.models import Credential, Owner

COOKIE = "greenroute_footprint"
_COOKIE_MAX_AGE_S = 400 * 86400  # the longest lifetime browsers accept
_KEY_BYTES = 20  # 160 bits
_KEY_CHARS = 32  # base32 of 20 bytes, no padding
# Matched with fullmatch: "$" would also accept a trailing newline ("alice\n").
_KEY_RE = re.compile(r"[A-Z2-7]{32}")
_USERNAME_RE = re.compile(r"[A-Za-z0-9._-]{3,64}")
_PASSWORD_MIN, _PASSWORD_MAX = 10, 1024

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the username does not exist, so a wrong name costs as long as a wrong
    password and does not reveal which names exist. Made on first use: hashing takes ~0.1 s, which
    every server start would otherwise pay even with accounts off."""
    return _hasher.hash(secrets.token_urlsafe(16))


def utcnow() -> datetime:
    """Now, as a naive UTC datetime (the form the tables store)."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_key() -> str:
    """A new personal key: 160 random bits, written as 8 groups of 4 base32 characters."""
    raw = base64.b32encode(secrets.token_bytes(_KEY_BYTES)).decode("ascii")
    return "-".join(raw[i : i + 4] for i in range(0, _KEY_CHARS, 4))


def normalize_key(text: object) -> str:
    """The canonical form of a key typed by a person (case, spaces and dashes do not matter).

    Raises
    ------
    ApiError
        400 when ``text`` cannot be a key.
    """
    if not isinstance(text, str) or len(text) > 200:
        raise ApiError(400, "invalid_key", "key must be a string like ABCD-EFGH-... (32 letters)")
    compact = re.sub(r"[\s-]", "", text).upper()
    if not _KEY_RE.fullmatch(compact):
        raise ApiError(
            400,
            "invalid_key",
            "a key has 32 characters (A-Z and 2-7), optionally in groups separated by dashes",
        )
    return "-".join(compact[i : i + 4] for i in range(0, _KEY_CHARS, 4))


def token_hash(token: str) -> str:
    """SHA-256 (hex) of a key or session token, the only form the server stores."""
    return hashlib.sha256(b"greenroute-footprint:" + token.encode("utf-8")).hexdigest()


def set_cookie(response: Response, token: str) -> None:
    """Put ``token`` in the log cookie (HttpOnly, SameSite=Strict, Secure over https)."""
    response.set_cookie(
        COOKIE,
        token,
        max_age=_COOKIE_MAX_AGE_S,
        httponly=True,
        samesite="Strict",
        secure=request.is_secure,
        path="/",
    )


def clear_cookie(response: Response) -> None:
    """Remove the log cookie from this browser."""
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="Strict", secure=request.is_secure)


def _cookie_token() -> str | None:
    token = request.cookies.get(COOKIE)
    if not token or len(token) > 200:
        return None
    return token


def find_owner(session: Session) -> Owner | None:
    """The owner whose key or session token is in this request's cookie, if any (accounts mode: sessions only)."""
    token = _cookie_token()
    if token is None:
        return None
    stmt = (
        select(Owner)
        .join(Credential, Credential.owner_id == Owner.id)
        .where(Credential.token_hash == token_hash(token))
    )
    if accounts_mode():
        # An anonymous key from before accounts were required opens nothing: only sign-in does.
        stmt = stmt.where(Credential.kind == "session", Owner.username.is_not(None))
    owner: Owner | None = session.scalars(stmt).first()
    return owner


def require_owner(session: Session) -> Owner:
    """The caller's owner row.

    Raises
    ------
    ApiError
        401 when the request carries no valid key or session.
    """
    owner = find_owner(session)
    if owner is None:
        if accounts_mode():
            raise ApiError(401, "not_signed_in", "sign in to use your log")
        raise ApiError(
            401,
            "log_off",
            "your log is not on in this browser: turn it on (POST /api/footprint) "
            "or enter your key (POST /api/footprint/device)",
        )
    return owner


def accounts_mode() -> bool:
    """Whether this server requires accounts (``FOOTPRINT_AUTH=accounts``)."""
    return str(current_app.config.get("FOOTPRINT_AUTH", "key")).lower() == "accounts"


def add_credential(session: Session, owner: Owner, token: str, *, kind: str) -> None:
    """Store the hash of ``token`` as a way into ``owner``'s log."""
    session.add(Credential(owner_id=owner.id, token_hash=token_hash(token), kind=kind, created_at=utcnow()))


def check_username(value: object) -> str:
    """Validate a username (3-64 of letters, digits, dot, dash, underscore)."""
    if not isinstance(value, str) or not _USERNAME_RE.fullmatch(value):
        raise ApiError(
            400,
            "invalid_username",
            "username must be 3 to 64 characters: letters, digits, '.', '_' or '-'",
        )
    return value.lower()


def check_password(value: object) -> str:
    """Validate a password's type and length (10 to 1024 characters)."""
    if not isinstance(value, str) or not _PASSWORD_MIN <= len(value) <= _PASSWORD_MAX:
        raise ApiError(
            400,
            "invalid_password",
            f"password must be a string of {_PASSWORD_MIN} to {_PASSWORD_MAX} characters",
        )
    return value


def hash_password(password: str) -> str:
    """argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored`` (always spends one argon2 verification)."""
    try:
        return _hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False
