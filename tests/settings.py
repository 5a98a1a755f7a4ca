"""The test suite's settings: production's, with the benchmark and a fast password hasher.

The production hasher (PBKDF2 with 1,000,000 iterations) costs about 0.28 s of CPU
per hash; the factories hash a password for every person they create, which made
60 % of the suite's CPU. The benchmark app is installed so that its smoke test runs.
``tests/test_production_settings.py`` proves that production has neither.
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("BENCHMARK", "1")

from config.settings import *  # noqa: E402, F403

# Uploads of the tests (sign-language videos) go to a directory of this run, not var/.
MEDIA_ROOT = tempfile.mkdtemp(prefix="pm-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

# whitenoise walks the static files once per process, not once per test client.
MIDDLEWARE = [  # noqa: F405
    "tests.static_files.WhiteNoiseMiddlewareScanningOnce"
    if entry == "whitenoise.middleware.WhiteNoiseMiddleware"
    else entry
    for entry in MIDDLEWARE  # noqa: F405
]
assert "tests.static_files.WhiteNoiseMiddlewareScanningOnce" in MIDDLEWARE

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The suite sends the read API far more than a visitor would within a minute, all from
# 127.0.0.1; the rate limit's own test sets a low limit.
API_REQUESTS_PER_MINUTE = 1_000_000

# Stale counts are recounted in the request itself, so a test sees a change at once;
# tests/marketplace/test_counts_cache.py runs the recount beside the request as production does.
COUNTS_RECOUNT_INLINE = True
