"""Tformance settings: one module, driven by environment variables (12-factor).

Every variable is listed with a one-line explanation in `.env.example`. A bad value
stops the process at start with a message that names the variable.
"""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from environs import Env, EnvError

BASE_DIR = Path(__file__).resolve().parent.parent

env = Env()
# A local `.env` is a convenience for development; real deployments set the environment.
env.read_env(BASE_DIR / ".env", recurse=False)


def _required_in_production(name: str, *, debug: bool, dev_default: str) -> str:
    """Return the variable, or a development default only when DEBUG is on."""
    if debug:
        return env.str(name, dev_default)
    try:
        value = env.str(name)
    except EnvError as exc:
        raise EnvError(f'Environment variable "{name}" must be set when DEBUG is off.') from exc
    if not value.strip():
        raise EnvError(f'Environment variable "{name}" must not be empty.')
    return value


def _http_url(name: str, default: str) -> str:
    """Return an http(s) URL without its trailing slash."""
    value = env.str(name, default).strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise EnvError(f'Environment variable "{name}" must be an http(s) URL, got {value!r}.')
    return value


DEBUG = env.bool("DEBUG", False)
# With DEBUG on, answer 404 and 500 with the product's pages, not Django's technical ones
# (`make demo` turns it on; production shows them anyway).
PRODUCT_ERROR_PAGES = env.bool("PRODUCT_ERROR_PAGES", False)

SECRET_KEY = _required_in_production(
    "SECRET_KEY", debug=DEBUG, dev_default="dev-only-secret-key-not-for-production"
)
# Kept apart from SECRET_KEY so that rotating the session secret does not make every
# stored GitHub token unreadable.
CRYPTOGRAPHY_KEY = _required_in_production(
    "CRYPTOGRAPHY_KEY", debug=DEBUG, dev_default="dev-only-cryptography-key-not-for-production"
)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS: on by default in production (DEBUG off): redirect, secure cookies, HSTS.
SECURE_HTTPS = env.bool("SECURE_HTTPS", not DEBUG)
# Behind a proxy that terminates TLS and sets X-Forwarded-Proto (Heroku's router does).
# Trusting that header anywhere else would let any client claim a request came over HTTPS.
BEHIND_PROXY = env.bool("BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_SSL_REDIRECT = SECURE_HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # platform health checks speak plain HTTP
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 31_536_000 if SECURE_HTTPS else 0)
# Both commit every subdomain of the operator's domain to HTTPS (preload: in browsers'
# built-in lists, for months), so only the operator may turn them on.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", False)
# `check --deploy` warns while they are off (W005, W021); that is the intended default.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy on every page (django-csp): scripts, styles and requests only
# from this site, no inline script or style (the templates have none; htmx's event
# filters would need eval, so dashboard.js fires a plain event instead). Connect GitHub is
# a link, not a form, so form-action 'self' does not stand between a user and GitHub.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SESSION_COOKIE_HTTPONLY = True
SITE_URL = _http_url("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    # django_dramatiq must come before the project apps so that it discovers their tasks.
    "django_dramatiq",
    "dramatiq_crontab",
    "axes",
    "tformance.core",
    "tformance.teams",
    "tformance.github",
    "tformance.pulls",
    "tformance.sync",
    "tformance.accounts",
    "tformance.integrations",
    "tformance.jira",
    "tformance.onboarding",
    "tformance.metrics",
    "tformance.dashboard",
    "tformance.slack",
]
# The offline demo and the GitHub sandbox's commands: development and tests only.
DEV_TOOLS = env.bool("DEV_TOOLS", DEBUG)
if DEV_TOOLS:
    INSTALLED_APPS.append("tformance.devtools")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Inside CSP's, so the pages it substitutes get the policy too.
    "tformance.core.errorpages.ProductErrorPagesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tformance.teams.context_processors.teams",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
# Default: a SQLite file that the web process and a worker can share. IMMEDIATE
# transactions take the write lock up front and the busy timeout waits for it, instead
# of failing with "database is locked" half-way through a write.
DATABASES = {
    "default": env.dj_db_url(
        "DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'tformance.sqlite3'}",
        conn_max_age=env.int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# The sync writes each PR with one statement of a dozen CTEs; it is prepared once per
# connection (named prepared statements). Set false behind a pooler in transaction mode
# that cannot keep them (PgBouncer before 1.21, or with max_prepared_statements = 0).
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg's: Django's cursors bind on the client and never prepare; only the cursors
    # that bind on the server (the sync's writer) prepare their statements, at first use.
    # Reference: https://www.psycopg.org/psycopg3/docs/advanced/prepare.html
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
        0 if DATABASE_PREPARED_STATEMENTS else None
    )

# PostgreSQL compiles a statement whose estimated cost passes `jit_above_cost` to machine
# code before running it. The dashboard's one statement of a page's numbers passes it at
# ~100k PRs and compiled ~850 functions for ~0.6 s (more than it then ran) every time;
# no statement of ours runs long enough to win it back. Set true to keep the server's
# setting, e.g. behind a pooler that refuses startup options (then turn JIT off on the
# database: ALTER DATABASE ... SET jit = off).
DATABASE_JIT = env.bool("DATABASE_JIT", False)
# The memory a sort may take before it spills to disk. The dashboard's medians and
# percentiles sort a period's PRs, seven columns at once; at the server's default (4MB) those
# of ~90k PRs (two years of a 200-engineer team) spilled and took 180 ms instead of 135; at
# 8MB their sort by week (~11MB in memory) still spilled (that branch 94 ms instead of 83).
# Empty keeps the server's setting (as behind a pooler that refuses startup options).
# Reference: https://www.postgresql.org/docs/current/runtime-config-resource.html#GUC-WORK-MEM
DATABASE_WORK_MEM = env.str("DATABASE_WORK_MEM", "16MB")
# What the planner takes a random page read to cost against a sequential one. The server's
# 4.0 is a spinning disk's; on SSDs (and with the data in memory) a random read costs about
# as much, and at 4.0 the 2-year overview at 100k PRs read its merged PRs with a sequential
# scan of the table instead of the narrow covering index (EXPLAIN ANALYZE of that branch:
# 118 ms against 96; the statement 297 against 263). Empty keeps the server's setting.
# Reference: https://www.postgresql.org/docs/current/runtime-config-query.html#GUC-RANDOM-PAGE-COST
DATABASE_RANDOM_PAGE_COST = env.str("DATABASE_RANDOM_PAGE_COST", "1.1")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Reference: https://www.postgresql.org/docs/current/jit-decision.html
    startup = [] if DATABASE_JIT else ["-c jit=off"]
    if DATABASE_WORK_MEM:
        if not re.fullmatch(r"\d+(kB|MB|GB)", DATABASE_WORK_MEM):
            raise ImproperlyConfigured('DATABASE_WORK_MEM is a size such as "8MB" (kB, MB or GB).')
        startup.append(f"-c work_mem={DATABASE_WORK_MEM}")
    if DATABASE_RANDOM_PAGE_COST:
        if not re.fullmatch(r"\d+(\.\d+)?", DATABASE_RANDOM_PAGE_COST):
            raise ImproperlyConfigured(
                'DATABASE_RANDOM_PAGE_COST is a number such as "1.1" (4.0 is the server\'s).'
            )
        startup.append(f"-c random_page_cost={DATABASE_RANDOM_PAGE_COST}")
    if startup:
        DATABASES["default"]["OPTIONS"]["options"] = " ".join(startup)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background work (Dramatiq) -----------------------------------------------------------
# Required in production: the in-process broker keeps its queue in memory (lost on every
# restart) and a worker process or the nightly scheduler could never reach it. In DEBUG
# (`make demo`, `make run`) it may stay unset.
REDIS_URL = _required_in_production("REDIS_URL", debug=DEBUG, dev_default="")

# Listed explicitly: django-dramatiq's default list names a Prometheus middleware that
# dramatiq 2 no longer ships.
DRAMATIQ_MIDDLEWARE = [
    "dramatiq.middleware.AgeLimit",
    "dramatiq.middleware.TimeLimit",
    "dramatiq.middleware.Callbacks",
    "dramatiq.middleware.CurrentMessage",
    "dramatiq.middleware.Retries",
    "django_dramatiq.middleware.DbConnectionsMiddleware",
]
if REDIS_URL:
    DRAMATIQ_BROKER = {
        "BROKER": "dramatiq.brokers.redis.RedisBroker",
        "OPTIONS": {
            "url": REDIS_URL,
            # A worker that dies (kill -9, OOM) hands its unfinished messages back to the
            # queue once its heartbeat is this old.
            "heartbeat_timeout": env.int("DRAMATIQ_HEARTBEAT_TIMEOUT_MS", 60_000),
            # How often (per million broker calls) workers look for such messages.
            "maintenance_chance": env.int("DRAMATIQ_MAINTENANCE_CHANCE", 1000),
        },
        "MIDDLEWARE": DRAMATIQ_MIDDLEWARE,
    }
else:
    # No Redis: messages stay inside this process (see docs/architecture.md).
    DRAMATIQ_BROKER = {
        "BROKER": "dramatiq.brokers.stub.StubBroker",
        "OPTIONS": {},
        "MIDDLEWARE": DRAMATIQ_MIDDLEWARE,
    }
DRAMATIQ_AUTODISCOVER_MODULES = ["tasks"]
# The scheduler (`manage.py crontab`) holds a Redis lock, so a second one only waits.
DRAMATIQ_CRONTAB = {
    "REDIS_URL": REDIS_URL or None,
    "LOCK_BLOCKING_TIMEOUT": env.int("SCHEDULER_LOCK_WAIT_SECONDS", 15),
}
# Without Redis, the first message sent starts worker threads inside this process.
DRAMATIQ_IN_PROCESS_WORKER = not REDIS_URL
DRAMATIQ_IN_PROCESS_THREADS = env.int("DRAMATIQ_IN_PROCESS_THREADS", 2)

# --- GitHub -------------------------------------------------------------------------------
GITHUB_URL = _http_url("GITHUB_URL", "https://github.com")
GITHUB_API_URL = _http_url("GITHUB_API_URL", "https://api.github.com")
GITHUB_OAUTH_CLIENT_ID = env.str("GITHUB_OAUTH_CLIENT_ID", "")
GITHUB_OAUTH_CLIENT_SECRET = env.str("GITHUB_OAUTH_CLIENT_SECRET", "")
GITHUB_TIMEOUT_SECONDS = env.float("GITHUB_TIMEOUT_SECONDS", 30.0)
# Transient failures (5xx, timeouts, secondary limits) are retried this often, with
# exponential backoff from this base, before a sync gives the message back to Dramatiq.
GITHUB_MAX_RETRIES = env.int("GITHUB_MAX_RETRIES", 4)
GITHUB_BACKOFF_BASE_SECONDS = env.float("GITHUB_BACKOFF_BASE_SECONDS", 1.0)
# Pull requests per GraphQL page (1-100); halved on GitHub timeouts, grown back after.
GITHUB_PAGE_SIZE = env.int("GITHUB_PAGE_SIZE", 25, validate=lambda n: 1 <= n <= 100)
# Jira issues per search page (1-100: Jira's own cap on a page with fields); smaller only
# for tests that need several pages.
JIRA_PAGE_SIZE = env.int("JIRA_PAGE_SIZE", 100, validate=lambda n: 1 <= n <= 100)
# Every worker holding a team's token shares its rate limit (tformance.github.budget): none
# sends while the token's remaining points (or REST requests) are below this reserve and
# the window has not reset. Keep it above what the workers can have in flight at once
# (threads x the cost of a query), so that GitHub never has to refuse one.
GITHUB_RATE_LIMIT_RESERVE = env.int("GITHUB_RATE_LIMIT_RESERVE", 50, validate=lambda n: n >= 1)
# Where they share it: Redis when there is one; without it, inside this process.
GITHUB_BUDGET_REDIS_URL = REDIS_URL

# --- Sync ---------------------------------------------------------------------------------
# A sync whose heartbeat is older than this is presumed dead and may be taken over. Keep
# it below DRAMATIQ_HEARTBEAT_TIMEOUT_MS, so a dead worker's redelivered message finds the
# repository free (live syncs beat every 10 s).
SYNC_CLAIM_STALE_SECONDS = env.int("SYNC_CLAIM_STALE_SECONDS", 45, validate=lambda n: n >= 1)
# Incremental syncs re-read this much before the previous sync's start (clock skew, lag).
SYNC_OVERLAP_SECONDS = env.int("SYNC_OVERLAP_SECONDS", 600)
# The onboarding and settings pages say "This sync may have stalled" (with Retry and Skip)
# when a running sync's heartbeat is older than this.
SYNC_STALL_SECONDS = env.int("SYNC_STALL_SECONDS", 45, validate=lambda n: n >= 5)
# Every five minutes the sweeper sends again the syncs that are pending, or whose open run
# nobody holds, with no message sent or heartbeat for this long (a message lost to a
# broker or web restart).
SYNC_SWEEP_SECONDS = env.int("SYNC_SWEEP_SECONDS", 300, validate=lambda n: n >= 60)

# --- Optional integrations (Jira, Slack) ---------------------------------------------------
# What a Slack incoming-webhook URL must start with (a local stub in tests).
SLACK_WEBHOOK_URL_PREFIX = (
    _http_url("SLACK_WEBHOOK_URL_PREFIX", "https://hooks.slack.com/services") + "/"
)

# --- Security: outbound requests, log-in lockout --------------------------------------------
# Requests to addresses that users type (Jira, Slack) may reach loopback only when this is
# on (tests and local stubs); private, link-local and other internal addresses never.
OUTBOUND_ALLOW_LOOPBACK = env.bool("OUTBOUND_ALLOW_LOOPBACK", False)

# Log-in lockout (django-axes), for /accounts/login/ and /admin/login/ alike: after
# LOGIN_FAILURE_LIMIT wrong passwords for one email from one client address, that pair is
# refused, the right password included, until LOGIN_COOLOFF_MINUTES after the last failure.
# Keyed by the pair, so a stranger elsewhere cannot lock a user out, and other people behind
# the same address can still log in. A password reset lifts the lockout.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out pair before any check
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", 5, validate=lambda n: n >= 1)
AXES_COOLOFF_TIME = timedelta(
    minutes=env.int("LOGIN_COOLOFF_MINUTES", 15, validate=lambda n: n >= 1)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout do not push its end further away, so "try again in N minutes"
# stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "tformance.accounts.lockout.lockout_username"
# X-Forwarded-For counts only behind a proxy (BEHIND_PROXY); otherwise anyone could forge it.
AXES_CLIENT_IP_CALLABLE = "tformance.core.proxy.client_ip_address"
AXES_LOCKOUT_CALLABLE = "tformance.accounts.lockout.lockout_response"

# --- Insights ------------------------------------------------------------------------------
# Optional: with a key, the dashboard's insights get a short summary written by Claude.
ANTHROPIC_API_KEY = env.str("ANTHROPIC_API_KEY", "")
INSIGHTS_LLM_MODEL = env.str("INSIGHTS_LLM_MODEL", "claude-sonnet-4-5")

# --- Auth, i18n, static -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Email is the username. After logging in, the wizard's `resume` view sends a user to the
# dashboard, or to the onboarding step where they left off.
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "onboarding:resume"
LOGOUT_REDIRECT_URL = "accounts:login"

# --- Teams ---------------------------------------------------------------------------------
# How long an invitation link works after it was (last) sent.
INVITATION_EXPIRY_DAYS = env.int("INVITATION_EXPIRY_DAYS", 7, validate=lambda n: 1 <= n <= 30)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "tformance" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "Tformance <noreply@localhost>")

# --- Logging: one line per event on stdout; LOG_FORMAT=json for log collectors ------------
LOG_LEVEL = env.log_level("LOG_LEVEL", "INFO")
LOG_FORMAT = env.str("LOG_FORMAT", "text", validate=lambda v: v in ("text", "json"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # urllib3 logs full request URLs at DEBUG; keep it quiet so no token ever leaks.
        "urllib3": {"level": "WARNING"},
        "github": {"level": "WARNING"},
        # The scheduler logs every run of its 5-second lock renewal; its errors still show.
        "apscheduler": {"level": "WARNING"},
        # django-axes narrates every failed log-in at INFO; its warnings name the client.
        "axes": {"level": "WARNING"},
    },
}
