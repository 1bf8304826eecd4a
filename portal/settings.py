"""Settings for the evaluation-agency portal, read from the environment (django-environ).

The defaults need no external service: SQLite, Celery tasks run eagerly, e-mail to the console, files on
local disk. Setting DATABASE_URL, CELERY_BROKER_URL, REDIS_URL, EMAIL_URL and STORAGE_BACKEND switches the
same code to PostgreSQL, Redis workers, a real mail server and S3-compatible storage.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _redis_for_test_worker() -> None:
    """Under pytest-xdist each test process gets Redis databases of its own (the test databases already are its
    own): a cache clear or a broker queue in one process must not reach the other. The variables are rewritten
    once, so a Celery worker started by a test inherits the same databases."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or os.environ.get("PORTAL_REDIS_PER_TEST_WORKER"):
        return
    shift = 2 * (int(worker[2:]) + 1)
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        url = os.environ.get(name, "")
        base, _, db = url.rpartition("/")
        if url.startswith("redis://") and db.isdigit():
            os.environ[name] = f"{base}/{int(db) + shift}"
    os.environ["PORTAL_REDIS_PER_TEST_WORKER"] = "1"


_redis_for_test_worker()

DEBUG = env.bool("DJANGO_DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-never-use-in-production-0123456789")
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is False.")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Django's admin, its site behind the second factor (portal.admin_site.PortalAdminSite).
    "portal.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",  # the officials' authenticator apps (TOTP)
    "django_otp.plugins.otp_static",  # their recovery codes
    "captcha",  # the image challenge of the public forms (portal.lib.captcha)
    "ninja",  # the API's docs page: its Swagger UI template and static files (portal.api)
    "django_celery_beat",  # Celery beat's schedules in the database, editable in the admin
    "portal",
    "agencies",
    "publicity",
    "filings",
    "supervision",
    "certificates",
    "reports",
]

MIDDLEWARE = [
    # First: X-Forwarded-Proto is believed only from TRUSTED_PROXIES (SecurityMiddleware reads it next).
    "portal.middleware.TrustedProxyHeaders",
    "django.middleware.security.SecurityMiddleware",
    # Every HTML and JSON answer says charset=utf-8 (JsonResponse does not), those of the middleware below too.
    "portal.middleware.TextCharset",
    "portal.middleware.PermissionsPolicy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the request: text with NUL and other control characters never reaches a view.
    "portal.middleware.RefuseControlCharacters",
    # The request known to the audit log (client address on every row), its security events written at the end.
    "portal.middleware.RequestContext",
    # Public look-ups limited per address before the session and the user are loaded (issue 14).
    "portal.middleware.PublicLookupLimit",
    # Django's sessions, authentication, messages and django-csp's policy, passed by on SESSIONLESS_PATHS.
    "portal.middleware.Sessions",
    "portal.middleware.SessionRenewal",
    "portal.middleware.ChineseUnlessChosen",
    "django.middleware.locale.LocaleMiddleware",
    # Django's, but a POST to an address without its trailing slash is told the address (no 301 it cannot follow).
    "portal.middleware.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "portal.middleware.Authentication",
    # no-store on every response to a signed-in user.
    "portal.middleware.PrivateResponses",
    # request.user.is_verified(): whether this session passed the second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # Fail closed: a view that forgets its gate asks for a sign-in; public views say so (``portal.lib.access``).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Officials and administrators reach nothing but the second step (or enrolment) until they pass it, and
    # nothing but the password change once their password is older than PASSWORD_MAX_AGE_DAYS.
    "portal.second_factor.middleware.SecondFactorRequired",
    "portal.middleware.Messages",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "portal.middleware.ContentSecurityPolicy",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# The public JSON look-ups, answered the same to anyone: no session is loaded or saved for them and the user is
# anonymous (``portal.middleware.sessionless``). The API's documentation (/api/v1/docs) is a page and keeps both.
SESSIONLESS_PATHS = ("/api/v1/directory/", "/api/v1/receipts/", "/api/v1/certificates/")

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
                "portal.context_processors.display",
            ],
        },
    },
]
if not DEBUG:
    # Templates compiled once per process (Django's default for any DEBUG since 4.1, written out so that the
    # production path does not depend on it; with DEBUG on, the development server reloads edited templates).
    TEMPLATES[0]["APP_DIRS"] = False
    TEMPLATES[0]["OPTIONS"]["loaders"] = [
        (
            "django.template.loaders.cached.Loader",
            ["django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"],
        )
    ]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check that costs no round trip on a healthy connection (portal.db.postgresql).
    DATABASES["default"]["ENGINE"] = "portal.db.postgresql"
    # JIT compilation pays off for long analytical queries, not for pages of indexed look-ups: measured on the
    # jurisdiction workspace it spent 40–100 ms compiling queries that then ran in 20 ms (bench/README.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    # Keep connections between requests: opening one (SCRAM authentication) cost 11–30 ms, about 20 times a
    # page's own queries (issue 16). `?conn_max_age=N` in DATABASE_URL or DJANGO_CONN_MAX_AGE change it.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # The covering indexes (``include=``) are PostgreSQL's; SQLite (development, `make run`) builds them without
    # the extra columns, which is all it needs: no warning on every migrate and runserver.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
# A read replica for the reports (``portal.routers.ReportsReplicaRouter``): DATABASE_REPLICA_URL names it, and
# the reports' reads go there; without it everything reads the primary.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"]["ENGINE"] = "portal.db.postgresql"
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
        DATABASES["replica"].setdefault("CONN_MAX_AGE", DATABASES["default"].get("CONN_MAX_AGE", 60))
        DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["portal.routers.ReportsReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Passwords (MLPS level 3 复杂度): at least 12 characters of three classes, unlike the user's names and
# organisation, not a common password nor a local word with digits around it (portal.lib.passwords).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "portal.lib.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "portal.lib.passwords.UnlikeNamesValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "portal.lib.passwords.GuessableWordValidator"},
]
# Officials and administrators change their password at least this often (days); the portal sends them to the
# password change page once it is older.
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A password-reset link (portal.views.PasswordResetView) works once and for one hour.
PASSWORD_RESET_TIMEOUT = 60 * 60
# Who a locked-out or forgetful user contacts, shown on the sign-in and lockout pages when set (the demo's
# default is a plausible help desk of the provincial centre).
PORTAL_SUPPORT_CONTACT = env.str(
    "PORTAL_SUPPORT_CONTACT",
    default="自治区职业技能鉴定中心信息科 0771-5858123，portal-help@rst.gxzf.example.gov.cn" if DEBUG else "",
)

# Sessions end after 30 idle minutes: a request renews the 30-minute expiry when the last renewal is over a
# minute old (portal.middleware.SessionRenewal), instead of a write on every request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Sign-in protection (portal.lib.lockout): five failures (a wrong password or a wrong second-factor code) of one
# user name from one client address lock that name at that address for 30 minutes; LOCKOUT_ADDRESS_LIMIT
# failures from one address, whatever the names, lock the address. A stranger elsewhere cannot lock an official
# out, and one address cannot try a few passwords on every account.
AXES_FAILURE_LIMIT = 5
LOCKOUT_ADDRESS_LIMIT = env.int("LOCKOUT_ADDRESS_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "portal.lib.lockout.AccountAndAddressHandler"
AXES_LOCKOUT_CALLABLE = "portal.lib.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# After a refused sign-in, the form warns when this many attempts or fewer are left before the lockout.
LOCKOUT_WARNING_ATTEMPTS = 2
# Client addresses behind reverse proxies (see portal.lib.http.client_ip): how many proxies append to
# X-Forwarded-For in front of the portal (1 for the usual nginx in front of gunicorn).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# The reverse proxies (addresses or networks) whose X-Forwarded-Proto is believed (portal.middleware
# .TrustedProxyHeaders); from any other address the header is dropped. Empty: no client is believed.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
AXES_CLIENT_IP_CALLABLE = "portal.lib.http.client_ip"
AXES_VERBOSE = False

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The main catalogue, then one per topic under locale/topics/ (each a `zh_Hans/LC_MESSAGES/django.po`).
LOCALE_PATHS = [BASE_DIR / "locale", *sorted(p for p in (BASE_DIR / "locale" / "topics").glob("*") if p.is_dir())]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files live outside the web root and are only ever served through permission-checking views.
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
# No URL serves MEDIA_ROOT: production routes nothing here (Django's test live server needs a path).
MEDIA_URL = "/private-media-is-not-served/"

STORAGE_BACKEND = env.str("STORAGE_BACKEND", default="local")
if STORAGE_BACKEND == "s3":
    default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default=None),
            "access_key": env.str("S3_ACCESS_KEY"),
            "secret_key": env.str("S3_SECRET_KEY"),
            "region_name": env.str("S3_REGION", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Cache: Redis when REDIS_URL is given, process memory otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions in Redis, written through to the database (a Redis restart signs nobody out): a signed-in page
    # reads its session from Redis instead of PostgreSQL. Rate limits share the same cache.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: without a broker, tasks run eagerly in the web process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://"
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="备案监管平台 <noreply@portal.example.gov.cn>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (issue 14): scripts only from the portal's own static files — no inline script, no
# on*= attribute, no eval — so injected markup cannot run. Styles keep 'unsafe-inline': ECharts writes its
# tooltips as markup with style attributes and Swagger UI (/api/v1/docs) styles its elements inline, and a
# style cannot run code. img-src allows data: for Bootstrap's inline SVG icons (select arrows, check marks).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Off only for a laptop's plain-HTTP loopback (`make run`); a deployment keeps them on.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    # /healthz is probed over plain HTTP by the container's health check.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Working-day calendar: years the holiday package does not cover fall back to weekends plus overrides.
WORKDAYS_WARN_YEARS_AHEAD = 1


# Second factor (django-otp): the issuer shown in the authenticator app; codes of the 30-second step before and
# after are accepted; recovery codes given at enrolment.
OTP_TOTP_ISSUER = "评价机构备案监管平台"
# Wrong six-digit codes slow the authenticator down (1, 2, 4 … seconds, django-otp's default); a recovery code
# (40 random bits) needs no such delay beside the lockout, and a refused spent code must not delay the next one.
OTP_STATIC_THROTTLE_FACTOR = 0
SECOND_FACTOR_RECOVERY_CODES = 10

# The image challenge of the public forms (django-simple-captcha, portal.lib.captcha): five letters that are
# hard to confuse, drawn by the portal itself; one hour to fill the form, one attempt per image.
CAPTCHA_CHALLENGE_FUNCT = "portal.lib.captcha.challenge"
CAPTCHA_TIMEOUT = 60
CAPTCHA_FONT_SIZE = 44
CAPTCHA_LETTER_ROTATION = (-25, 25)
CAPTCHA_FOREGROUND_COLOR = "#1b2a4a"
CAPTCHA_NOISE_FUNCTIONS = ("captcha.helpers.noise_arcs", "captcha.helpers.noise_dots")
CAPTCHA_2X_IMAGE = False

# Absolute links in e-mails and QR codes.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Working days the HR bureau of another city has to answer an agency's cross-region evaluation report.
CROSS_REGION_CONSENT_WORKDAYS = env.int("CROSS_REGION_CONSENT_WORKDAYS", default=5)
# Working days a city HR bureau has to reply to a complaint (投诉举报).
COMPLAINT_REPLY_WORKDAYS = env.int("COMPLAINT_REPLY_WORKDAYS", default=15)
# Working days an agency is given by default to answer a rectification order from an inspection.
RECTIFICATION_WORKDAYS = env.int("RECTIFICATION_WORKDAYS", default=10)

# What each app adds to the home page, by role (``portal.selectors.dashboard_for``).
# Each may add kinds of pending work under "todo" (the to-do list, ``portal.lib.todo``), listed in this order.
DASHBOARD_SOURCES = [
    "agencies.selectors.home_panel",
    "filings.selectors.home_panel",
    "publicity.selectors.home_panel",
    "supervision.selectors.home_panel",
    "certificates.selectors.home_panel",
    "reports.selectors.home_panel",
]

# What `manage.py seed_demo` runs, in order: each app's demo (refused when DEBUG is off).
DEMO_SEEDERS = [
    "portal.demo.seed",
    "agencies.demo.seed",
    "filings.demo.seed",
    "supervision.demo.seed",
    "certificates.demo.seed",
    "reports.demo.seed",
]

CELERY_BEAT_SCHEDULE = {
    "sweep-notification-emails": {"task": "portal.tasks.sweep_notification_emails", "schedule": 300.0},
    "flag-overdue-applications": {
        "task": "filings.tasks.flag_overdue",
        "schedule": crontab(hour=8, minute=30),  # working mornings, Asia/Shanghai
    },
    "close-due-notices": {
        "task": "publicity.tasks.close_due_notices",
        "schedule": crontab(hour=0, minute=20),  # just after the last day of an objection window
    },
    # The outbox of filing receipts: queues again any receipt still pending (the broker was down at approval).
    "sweep-receipts": {"task": "filings.tasks.sweep_receipts", "schedule": 60.0},
    # A suspension ends after its last day: the agency is active again from the next morning.
    "end-suspensions": {"task": "supervision.tasks.end_suspensions", "schedule": crontab(hour=0, minute=10)},
    "remind-overdue-complaints": {
        "task": "supervision.tasks.remind_overdue_complaints",
        "schedule": crontab(hour=8, minute=40),
    },
    # Opens and generates every report due within REPORT_LEAD_WORKDAYS working days, and reminds the departments.
    "generate-due-reports": {"task": "reports.tasks.generate_due_reports", "schedule": crontab(hour=7, minute=30)},
    # Results reports past their due day: the agency and the HR bureau are told, once per report.
    "notify-overdue-results-reports": {
        "task": "certificates.tasks.notify_overdue_reports",
        "schedule": crontab(hour=8, minute=50),
    },
}
# Beat reads its schedule from the database (django-celery-beat): the entries above are installed there on
# start and every schedule can be edited, disabled or added in the admin (定时任务).
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Working days before a report's due date on which the schedule generates it and reminds its departments.
REPORT_LEAD_WORKDAYS = env.int("REPORT_LEAD_WORKDAYS", default=5)
# Seconds the home dashboard keeps its figures before computing them again (the page says as of when).
REPORT_DASHBOARD_SECONDS = env.int("REPORT_DASHBOARD_SECONDS", default=300)
# The Celery queue that generates reports (a test routes it to its own worker).
REPORT_QUEUE = env.str("REPORT_QUEUE", default="celery")

# Provisional institution codes (机构编码) when the ministry has not given one yet. Placeholders: {province}
# (two-digit province code, 45), {province_code} (six digits, 450000), {year} (2026), {yy} (26), {seq} (the
# running number of provisional codes of the province and year). Default: S000045260001, the layout of the
# ministry's 13-character code (S/Y, 4-digit agency code, 2-digit province, 6-digit sequence: here the year's two
# digits and the running number's four), so that a certificate number begins with the code on the receipt.
INSTITUTION_CODE_PATTERN = env.str("INSTITUTION_CODE_PATTERN", default="S0000{province}{yy}{seq:04d}")
# The Celery queue that renders filing receipts (a test routes it to its own worker).
RECEIPT_QUEUE = env.str("RECEIPT_QUEUE", default="celery")

# The filing form posts one field per cell: 50 occupation rows and 30 rows in each personnel table come to
# some 1,500 fields, over Django's default of 1,000. Rows per table are capped at 200 (filings.drafts).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# ---------------------------------------------------------------- certificates (results, numbers, verification)
# ID numbers are encrypted at rest with SM4-GCM and found by an HMAC-SM3 hash (certificates.crypto). The defaults
# are for development only: a deployment sets its own keys (32 and 64 hex digits) and keeps them safe; a key
# that is lost makes the stored numbers unreadable. A replaced key stays readable when listed in
# CERTIFICATE_ID_OLD_KEYS as "id:hex,id:hex"; the current one is CERTIFICATE_ID_KEY_ID (1 to 255).
CERTIFICATE_ID_KEY = env.str("CERTIFICATE_ID_KEY", default="00112233445566778899aabbccddeeff")
CERTIFICATE_ID_KEY_ID = env.int("CERTIFICATE_ID_KEY_ID", default=1)
CERTIFICATE_ID_OLD_KEYS = env.dict("CERTIFICATE_ID_OLD_KEYS", default={})
CERTIFICATE_HASH_KEY = env.str(
    "CERTIFICATE_HASH_KEY", default="6465762d6f6e6c792d686d61632d736d332d6b65792d666f722d69642d6e6f73"
)
# Certificate numbers (certificates.numbering). Placeholders: {kind} (S: social training-evaluation organisation,
# Y: employer), {agency} (4 digits), {province} (2 digits), {sequence} (6 digits) — from the ministry's 13-character
# institution code when the agency has one —, {year} (2 digits), {level} (1 digit), {serial} (the agency's running
# number in the year, from 1). Default: the national 22-character form.
CERTIFICATE_NUMBER_PATTERN = env.str(
    "CERTIFICATE_NUMBER_PATTERN", default="{kind}{agency}{province}{sequence}{year}{level}{serial:06d}"
)
# Public verification (page and API): at most this many look-ups per client address per window.
CERTIFICATE_VERIFY_LIMIT = env.int("CERTIFICATE_VERIFY_LIMIT", default=30)
CERTIFICATE_VERIFY_WINDOW_SECONDS = env.int("CERTIFICATE_VERIFY_WINDOW_SECONDS", default=60)
# Seconds a verification by number is answered from its certificate's card in Redis (certificates.verification):
# a change made through the certificates' services shows at once; an agency renamed elsewhere after this at most.
# 0: every verification SELECTs.
CERTIFICATE_CARD_SECONDS = env.int("CERTIFICATE_CARD_SECONDS", default=600)
# On PostgreSQL the verification's look-ups are prepared once per connection (PREPARE … EXECUTE): planning their join
# cost ~0.5 ms of PostgreSQL's CPU per look-up, several times running it. False behind a pooler that does not keep
# a server connection per client connection (PgBouncer in transaction mode), where a prepared statement is lost.
CERTIFICATE_VERIFY_PREPARED = env.bool("CERTIFICATE_VERIFY_PREPARED", default=True)

# Public look-ups (issue 14, ``portal.middleware.PublicLookupLimit``): at most PUBLIC_LOOKUP_LIMIT requests per
# client address per window over these paths (the directory, receipt verification, their APIs); then 429.
PUBLIC_LOOKUP_PATHS = ["/directory/", "/verify/", "/api/v1/directory/", "/api/v1/receipts/"]
PUBLIC_LOOKUP_LIMIT = env.int("PUBLIC_LOOKUP_LIMIT", default=120)
PUBLIC_LOOKUP_WINDOW_SECONDS = env.int("PUBLIC_LOOKUP_WINDOW_SECONDS", default=60)
# Public answers (the directory, receipt verification) cached this many seconds at most; a change through the
# services is visible at once all the same (``portal.lib.publiccache``: versioned keys).
PUBLIC_CACHE_SECONDS = env.int("PUBLIC_CACHE_SECONDS", default=600)
# Certificate verifications are logged through Redis when a broker and REDIS_URL are configured: the request
# pushes its log row to a Redis list, and beat's task writes the list to the database in bulk every few seconds
# (``certificates.verification``). Otherwise (development, tests) the row is written at once.
VERIFICATION_LOG_BUFFERED = env.bool(
    "VERIFICATION_LOG_BUFFERED", default=bool(REDIS_URL) and not CELERY_TASK_ALWAYS_EAGER
)
VERIFICATION_LOG_FLUSH_SECONDS = env.int("VERIFICATION_LOG_FLUSH_SECONDS", default=5)
CELERY_BEAT_SCHEDULE["flush-verification-log"] = {
    "task": "certificates.tasks.verification_log_flush",
    "schedule": float(VERIFICATION_LOG_FLUSH_SECONDS),
}
# ---------------------------------------------------------------- hardening (issue 14)
# ClamAV's daemon, when there is one: a socket path (/run/clamav/clamd.ctl) or tcp://host:3310. Every upload is
# streamed to it and refused on a signature, or when it does not answer (portal.lib.uploads).
CLAMD_SOCKET = env.str("CLAMD_SOCKET", default="")
CLAMD_TIMEOUT_SECONDS = env.float("CLAMD_TIMEOUT_SECONDS", default=30.0)

# The audit log's chain (portal.lib.auditchain): HMAC-SM3 key, 64 hex digits. The default is for development only
# and refused by a system check when DEBUG is off.
AUDIT_CHAIN_KEY = env.str("AUDIT_CHAIN_KEY", default="6465762d6f6e6c792d61756469742d636861696e2d6b65792d736d332d686d61")
# Days audit rows stay in the database (at least 184, six months: 网络安全法 art. 21; the PostgreSQL trigger
# refuses to delete a younger row whatever this says); older ones are archived to gzip files, then deleted.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=184)
AUDIT_ARCHIVE_DIR = env.path("AUDIT_ARCHIVE_DIR", default=VAR_DIR / "audit-archive")
CELERY_BEAT_SCHEDULE["archive-audit-log"] = {
    "task": "portal.tasks.audit_archive",
    "schedule": crontab(hour=3, minute=15, day_of_month=1),  # monthly, at night
}
# Where `manage.py backup_portal` puts its dated folders (portal.lib.backup).
BACKUP_DIR = env.path("BACKUP_DIR", default=VAR_DIR / "backups")
