# Reached as modules.ModuleConfig: a base imported by name would be a second AppConfig here.
from apps.core import modules


class AccountsConfig(modules.ModuleConfig):
    """Declared in apps/accounts/module.py."""

    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Accounts"
