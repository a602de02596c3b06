"""Settings for the test suite: the real settings with fast, deterministic parts."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key")
os.environ.setdefault("CRYPTOGRAPHY_KEY", "test-cryptography-key")
# Production settings (DEBUG off) require it; the tests' broker is replaced below.
os.environ.setdefault(
    "REDIS_URL", os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/15")
)

from config.settings import *  # noqa: E402, F403
from config.settings import DATABASES, INSTALLED_APPS  # noqa: E402

DEBUG = False
# The tests drive the demo and the GitHub sandbox's commands, which production leaves out.
DEV_TOOLS = True
if "tformance.devtools" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "tformance.devtools"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Unit tests send to an in-memory broker; tests that need a real worker start one on
# Redis themselves (tests/conftest.py).
DRAMATIQ_BROKER = {
    "BROKER": "dramatiq.brokers.stub.StubBroker",
    "OPTIONS": {},
    "MIDDLEWARE": [
        "dramatiq.middleware.AgeLimit",
        "dramatiq.middleware.TimeLimit",
        "dramatiq.middleware.Callbacks",
        "dramatiq.middleware.CurrentMessage",
        "dramatiq.middleware.Retries",
        "django_dramatiq.middleware.DbConnectionsMiddleware",
    ],
}

DRAMATIQ_IN_PROCESS_WORKER = False
# Like the broker: rate-limit budgets stay in the test process; worker processes that the
# tests start (production settings) share theirs in Redis.
GITHUB_BUDGET_REDIS_URL = ""
# The tests' budgets are a few points: a client stops where GitHub would, at none left.
GITHUB_RATE_LIMIT_RESERVE = 1

# Live-server threads close their connection after each request, as a test database
# cannot be dropped while a connection to it stays open.
DATABASES["default"]["CONN_MAX_AGE"] = 0

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ""}  # in memory
else:
    # One test database per test run, so that runs side by side never drop each other's.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}

# Live-server tests serve static files straight from the apps, without collectstatic.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
