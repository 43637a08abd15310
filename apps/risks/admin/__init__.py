"""The register in the tenant admin: Django imports this package, each module registers its
models."""

from apps.risks.admin import register, setup  # noqa: F401
