"""Settings of the benchmarked service: production settings plus the floor URLs, own database.

Used both by the harness process (provisioning) and by the gunicorn it starts.
"""

import os

from bench.env import database_url, redis_url

# Forced, not defaulted: a DATABASE_URL exported for development must not be benchmarked into.
os.environ["DATABASE_URL"] = database_url()
os.environ["REDIS_URL"] = redis_url()
os.environ["CELERY_BROKER_URL"] = redis_url()
os.environ["CELERY_RESULT_BACKEND"] = redis_url()

from config.settings import *  # noqa: E402,F403

# DEBUG keeps every SQL statement in memory and adds its own overhead: measure without it.
DEBUG = False
# The production tenant URLs plus the hand-written floor views (bench/floors.py).
ROOT_URLCONF = "bench.urls_tenants"
