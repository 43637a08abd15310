"""Fengkong settings: everything that differs between machines comes from the environment.

One module per concern, read in this order (a later one may use an earlier one's names):
env (helpers, environment, secret, hosts), installed (apps, tenants, middleware), database,
background (cache, Celery, the tick, jobs), security (auth, lockouts, tokens, CORS), api
(GraphQL limits, uploads), runtime (audit, i18n, static, mail, logging).
`DJANGO_SETTINGS_MODULE=config.settings` loads them all; config/settings_test.py and
bench/settings.py start from `from config.settings import *`.
"""

from config.settings.env import *  # noqa: F403, I001  (this order: see above)
from config.settings.installed import *  # noqa: F403
from config.settings.database import *  # noqa: F403
from config.settings.background import *  # noqa: F403
from config.settings.security import *  # noqa: F403
from config.settings.api import *  # noqa: F403
from config.settings.runtime import *  # noqa: F403
