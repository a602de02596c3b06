"""gunicorn's access log (config/gunicorn.py) never records OAuth codes or reset tokens."""

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[2]
CODE, STATE, TOKEN = "OAUTHCODE123", "OAUTHSTATE456", "cn2x1q-0123456789abcdef0123456789abcdef"
CALLBACK = f"/onboarding/github/callback/?code={CODE}&state={STATE}&next=%2Fonboarding%2F"
RESET = f"/accounts/reset/MQ/{TOKEN}/"


@pytest.fixture
def access_log(tmp_path):
    """Log one request through the Procfile's gunicorn config; return the line it wrote."""
    from config import gunicorn as gunicorn_conf

    path = tmp_path / "access.log"
    cfg = Config()
    cfg.set("accesslog", str(path))
    cfg.set("logger_class", gunicorn_conf.logger_class)
    logger = cfg.logger_class(cfg)

    def log(uri: str, *, referer: str = "-") -> str:
        path_info, _, query = uri.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "RAW_URI": uri,
            "PATH_INFO": path_info,
            "QUERY_STRING": query,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_REFERER": referer,
            "HTTP_USER_AGENT": "pytest",
        }
        request_headers = [("REFERER", referer), ("USER-AGENT", "pytest")]
        response = SimpleNamespace(status="200 OK", sent=5, headers=[])
        logger.access(response, request_headers, environ, dt.timedelta(milliseconds=3))
        for handler in logger.access_log.handlers:
            handler.flush()
        return path.read_text().splitlines()[-1]

    yield log
    for handler in logger.access_log.handlers:
        handler.close()


def test_the_procfile_web_command_uses_the_gunicorn_config():
    procfile = (ROOT / "Procfile").read_text().splitlines()
    (web,) = [line for line in procfile if line.startswith("web:")]

    assert "--config python:config.gunicorn" in web


def test_oauth_code_and_state_are_redacted_and_other_parameters_kept(access_log):
    line = access_log(CALLBACK)

    assert CODE not in line and STATE not in line
    assert (
        "GET /onboarding/github/callback/?code=[redacted]&state=[redacted]"
        "&next=%2Fonboarding%2F HTTP/1.1" in line
    )


def test_a_password_reset_token_is_redacted_from_the_path(access_log):
    line = access_log(RESET)

    assert TOKEN not in line
    assert '"GET /accounts/reset/MQ/[redacted]/ HTTP/1.1" 200' in line


def test_the_referer_is_redacted_too(access_log):
    line = access_log("/onboarding/github/exchange/", referer=f"https://app.example.com{CALLBACK}")
    reset_line = access_log("/static/css/app.css", referer=f"https://app.example.com{RESET}")

    assert CODE not in line and STATE not in line and TOKEN not in reset_line
    assert '"https://app.example.com/onboarding/github/callback/?code=[redacted]' in line
    assert '"https://app.example.com/accounts/reset/MQ/[redacted]/"' in reset_line


def test_ordinary_requests_are_logged_unchanged(access_log):
    line = access_log("/t/acme/?range=30&repository=2", referer="https://app.example.com/t/acme/")

    assert (
        '"GET /t/acme/?range=30&repository=2 HTTP/1.1" 200 5 "https://app.example.com/t/acme/"'
        in line
    )


def test_the_set_password_step_after_a_reset_link_stays_readable(access_log):
    assert "/accounts/reset/MQ/set-password/" in access_log("/accounts/reset/MQ/set-password/")


def test_a_reset_link_without_its_trailing_slash_is_redacted_too(access_log):
    line = access_log(RESET.rstrip("/"))

    assert TOKEN not in line
    assert '"GET /accounts/reset/MQ/[redacted] HTTP/1.1"' in line


def test_a_callback_url_inside_the_log_in_redirects_next_parameter_is_redacted(access_log):
    line = access_log(
        "/accounts/login/?next=/onboarding/github/callback/%3Fcode%3DOAUTHCODE123%26state%3DOAUTHSTATE456"
    )

    assert CODE not in line and STATE not in line
    assert (
        "next=/onboarding/github/callback/%3Fcode%3D%5Bredacted%5D%26state%3D%5Bredacted%5D" in line
    )


def test_an_invitation_link_is_redacted_in_the_path_and_in_the_log_ins_next(access_log):
    token = "WzEyLDFd:1vAbCd:0123456789abcdefghijklmnopqrstuvwxyzABCDEFG"

    line = access_log(f"/invitations/{token}/")
    login_line = access_log(f"/accounts/login/?next=/invitations/{token}/")

    assert token not in line and token not in login_line
    assert '"GET /invitations/[redacted]/ HTTP/1.1"' in line
    assert "next=/invitations/%5Bredacted%5D/" in login_line
