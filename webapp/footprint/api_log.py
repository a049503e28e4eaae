"""Turning the log on and off: keys, devices, accounts, status, CSRF token, erase."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from webapp.errors import ApiError
from webapp.footprint import auth
from webapp.footprint.body import json_body
from webapp.footprint.db import get_db, write_session
from webapp.footprint.guard import csrf_token_for, protect_change, rate_limit
from webapp.footprint.models import Credential, Owner, Trip
from webapp.footprint.paths import PREFIX
from webapp.footprint.period_totals import forget

bp = Blueprint("footprint_log", __name__, url_prefix=PREFIX)


@bp.get("/csrf")
def csrf() -> Response:
    """``{"csrf_token"}``: echo it in ``X-CSRF-Token`` on every change (also set as a cookie)."""
    resp = current_app.response_class(mimetype="application/json")
    resp.set_data(current_app.json.dumps({"csrf_token": csrf_token_for(resp)}))
    return resp


@bp.get("")
def status() -> Response:
    """Whether the log is on in this browser, and how many entries it holds."""
    rate_limit("reads")
    session = get_db()
    owner = auth.find_owner(session)
    body: dict[str, Any] = {
        "on": owner is not None,
        "auth": "accounts" if auth.accounts_mode() else "key",
        "count": 0,
        "username": None,
        "import_max_bytes": int(current_app.config["FOOTPRINT_IMPORT_MAX_BYTES"]),
    }
    if owner is not None:
        body["count"] = session.scalar(select(func.count()).select_from(Trip).where(Trip.owner_id == owner.id))
        body["username"] = owner.username
    return jsonify(body)


def _refuse_in_accounts_mode() -> None:
    if auth.accounts_mode():
        raise ApiError(
            403,
            "accounts_required",
            "this server keeps logs in accounts: register or sign in instead",
        )


@bp.post("")
def turn_on() -> tuple[Response, int]:
    """Create a log and its personal key; the key is in the body this once, and in the cookie."""
    protect_change("keys")
    _refuse_in_accounts_mode()
    key = auth.new_key()
    with write_session() as session:
        if auth.find_owner(session) is not None:
            raise ApiError(
                409,
                "already_on",
                "your log is already on in this browser; erase it or stop using it here first",
            )
        owner = Owner(created_at=auth.utcnow())
        session.add(owner)
        session.flush()
        auth.add_credential(session, owner, key, kind="key")
    resp = jsonify(
        {
            "on": True,
            "key": key,
            "message": "This key opens your log. It is shown only now: write it down to use "
            "your log on another device.",
        }
    )
    auth.set_cookie(resp, key)
    return resp, 201


@bp.post("/device")
def use_on_device() -> Response:
    """Use an existing log in this browser by entering its key: ``{"key": "ABCD-..."}``."""
    protect_change("keys")
    _refuse_in_accounts_mode()
    body = json_body()
    if not isinstance(body, dict) or "key" not in body:
        raise ApiError(400, "invalid_field", "key: is required", field="key")
    key = auth.normalize_key(body["key"])
    session = get_db()
    stmt = select(Credential.owner_id).where(Credential.token_hash == auth.token_hash(key))
    owner_id = session.scalar(stmt)
    if owner_id is None:
        raise ApiError(401, "unknown_key", "no log has this key; check it and try again")
    count = session.scalar(select(func.count()).select_from(Trip).where(Trip.owner_id == owner_id))
    resp = jsonify({"on": True, "count": count})
    auth.set_cookie(resp, key)
    return resp


@bp.post("/logout")
def forget_device() -> Response:
    """Stop using the log in this browser. Keys stay valid elsewhere; a session is ended."""
    protect_change()
    token = request.cookies.get(auth.COOKIE)
    if token and auth.accounts_mode():
        with write_session() as session:
            session.execute(
                delete(Credential).where(Credential.token_hash == auth.token_hash(token), Credential.kind == "session")
            )
    resp = jsonify({"on": False})
    auth.clear_cookie(resp)
    return resp


@bp.delete("")
def erase() -> Response:
    """Delete every row of the caller's data at once: entries, keys, sessions, the account."""
    protect_change()
    with write_session() as session:
        owner = auth.require_owner(session)
        deleted = session.scalar(select(func.count()).select_from(Trip).where(Trip.owner_id == owner.id))
        session.execute(delete(Trip).where(Trip.owner_id == owner.id))
        forget(session, owner.id)
        session.execute(delete(Credential).where(Credential.owner_id == owner.id))
        session.execute(delete(Owner).where(Owner.id == owner.id))
    resp = jsonify({"on": False, "erased": True, "trips_deleted": deleted})
    auth.clear_cookie(resp)
    return resp


def _require_accounts_mode() -> None:
    if not auth.accounts_mode():
        raise ApiError(404, "accounts_off", "this server uses personal keys, not accounts (FOOTPRINT_AUTH)")


def _credentials() -> tuple[str, str]:
    body = json_body()
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_field", "body: must be a JSON object", field="body")
    return auth.check_username(body.get("username")), auth.check_password(body.get("password"))


@bp.post("/register")
def register() -> tuple[Response, int]:
    """Create an account (``FOOTPRINT_AUTH=accounts``): ``{"username", "password"}``."""
    protect_change("keys")
    _require_accounts_mode()
    username, password = _credentials()
    token = auth.new_key()
    password_hash = auth.hash_password(password)  # slow on purpose: not inside the write lock
    try:
        with write_session() as session:
            owner = Owner(created_at=auth.utcnow(), username=username, password_hash=password_hash)
            session.add(owner)
            session.flush()
            auth.add_credential(session, owner, token, kind="session")
    except IntegrityError:
        raise ApiError(409, "username_taken", "this username is taken; choose another") from None
    resp = jsonify({"on": True, "username": username})
    auth.set_cookie(resp, token)
    return resp, 201


@bp.post("/login")
def login() -> Response:
    """Sign in (``FOOTPRINT_AUTH=accounts``): ``{"username", "password"}``."""
    protect_change("keys")
    _require_accounts_mode()
    username, password = _credentials()
    token = auth.new_key()
    owner = get_db().scalars(select(Owner).where(Owner.username == username)).first()
    if not auth.verify_password(owner.password_hash if owner else None, password):
        raise ApiError(401, "wrong_credentials", "wrong username or password")
    assert owner is not None
    with write_session() as session:
        auth.add_credential(session, owner, token, kind="session")
    resp = jsonify({"on": True, "username": username})
    auth.set_cookie(resp, token)
    return resp
