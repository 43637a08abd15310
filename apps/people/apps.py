# Reached as modules.ModuleConfig: a base imported by name would be a second AppConfig here.
from apps.core import modules


class PeopleConfig(modules.ModuleConfig):
    """Declared in apps/people/module.py."""

    name = "apps.people"
    label = "people"
    verbose_name = "People and departments"
