# Reached as modules.ModuleConfig: a base imported by name would be a second AppConfig here.
from apps.core import modules


class AssessmentsConfig(modules.ModuleConfig):
    """Declared in apps/assessments/module.py."""

    name = "apps.assessments"
    label = "assessments"
    verbose_name = "Quantitative assessments"
