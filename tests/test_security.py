"""Security headers, cookies and the production secret-key guard."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from app.config import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def test_pages_carry_a_strict_content_security_policy_and_frame_denial(client):
    resp = client.get("/login")
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_scripts(client):
    html = client.get("/login").data.decode()
    assert "<script>" not in html and "onclick=" not in html


def test_session_cookie_is_httponly_and_samesite_lax(client, make):
    from tests.conftest import login

    resp = login(client, make.user("member", unit="QLKH"))
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_refuses_the_default_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("QMS_PRODUCTION", "1")
    monkeypatch.delenv("QMS_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="QMS_SECRET_KEY"):
        create_app({"QMS_DATA_DIR": str(tmp_path)})


def test_production_starts_with_a_real_key_and_secure_cookies(tmp_path, monkeypatch):
    monkeypatch.setenv("QMS_PRODUCTION", "1")
    monkeypatch.setenv("QMS_SECRET_KEY", "k" * 48)
    app = create_app({"QMS_DATA_DIR": str(tmp_path)})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_wsgi_entry_point_refuses_to_start_in_production_with_a_clear_message(tmp_path):
    env = {**os.environ, "QMS_PRODUCTION": "1", "QMS_DATA_DIR": str(tmp_path)}
    env.pop("QMS_SECRET_KEY", None)
    proc = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode != 0
    assert "set QMS_SECRET_KEY" in proc.stderr
