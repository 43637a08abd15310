# Reached as modules.ModuleConfig: a base imported by name would be a second AppConfig here.
from apps.core import modules


class TrainingConfig(modules.ModuleConfig):
    """Declared in apps/training/module.py."""

    name = "apps.training"
    label = "training"
    verbose_name = "Training records"
