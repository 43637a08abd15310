"""The module manifest: each app declares itself once, in `apps/<app>/module.py`.

    MODULE = Module(
        label="risks",
        query="apps.risks.graphql.queries:RisksQuery",
        mutation="apps.risks.graphql.mutations:RisksMutation",
        job_kinds={"register_daily": "Risk register daily run"},
        job_results={"register_daily": "apps.risks.graphql.job_results:RegisterDailyResult"},
        events={"risks.review_overdue": "A risk's periodic review is past due."},
        tick_handlers={"risks.daily_register": "apps.risks.tasks:daily_register_if_due"},
        audit="apps.risks.audit",
    )

Its AppConfig derives from `ModuleConfig`, which loads the manifest when Django is ready. The
tenant schema's roots (config/schema.py), the job kinds `Job.kind` accepts, the events webhooks
may subscribe to and the tenant tick's handlers are all composed from the manifests, so adding a
module is one package and one line in TENANT_APPS (see docs/adding-a-module.md).
References are "module:attribute" strings so a manifest imports nothing heavy (no GraphQL, no
models) and can be read before the schema is built.
"""

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import AppConfig, apps


@dataclass(frozen=True)
class Module:
    label: str
    audit: str | None  # the module that registers the app's audited models; None: nothing audited
    query: str | None = None  # "pkg.module:Class" contributing fields to the tenant Query
    mutation: str | None = None
    subscription: str | None = None  # the same for the tenant Subscription (apps/subscriptions)
    platform_query: str | None = None  # the same for the platform (operator) schema
    platform_mutation: str | None = None
    job_kinds: dict[str, str] = field(default_factory=dict)  # kind → label
    # kind → "pkg.module:Type", the GraphQL type of its `Job.result` (a member of the
    # `JobResult` union); every kind declares one (apps/core/graphql/job_results.py).
    job_results: dict[str, str] = field(default_factory=dict)
    events: dict[str, str] = field(default_factory=dict)  # webhook event → what it means
    tick_handlers: dict[str, str] = field(default_factory=dict)  # name → "pkg.module:function"
    seed_steps: tuple[str, ...] = ()  # "pkg.module:function" run for a new tenant, in order
    # "pkg.module:function(*, admin)" filling the demo tenant of `manage.py demo_setup` (bin/dev)
    # with sample data through the services; each one idempotent (a second run adds nothing).
    demo_steps: tuple[str, ...] = ()

    def problems(self) -> list[str]:
        """What is wrong with this declaration (empty when it is complete)."""
        found = []
        for kind in self.job_kinds:
            if not kind.isidentifier() or kind != kind.lower():
                found.append(f"job kind {kind!r} must be a lower-case identifier")
        for kind in self.job_kinds.keys() - self.job_results.keys():
            found.append(f"job kind {kind!r} declares no result type (job_results)")
        for kind in self.job_results.keys() - self.job_kinds.keys():
            found.append(f"job_results names {kind!r}, which is not one of its job kinds")
        for event in self.events:
            if not event.startswith(f"{self.event_prefix}."):
                found.append(f"event {event!r} must start with {self.event_prefix!r}.")
        for name in self.tick_handlers:
            if not name.startswith(f"{self.label}."):
                found.append(f"tick handler {name!r} must start with {self.label!r}.")
        for ref in (
            self.query,
            self.mutation,
            self.subscription,
            self.platform_query,
            self.platform_mutation,
            *self.tick_handlers.values(),
            *self.job_results.values(),
            *self.seed_steps,
            *self.demo_steps,
        ):
            if ref is not None and ":" not in ref:
                found.append(f"{ref!r} must be 'package.module:attribute'")
        return found

    @property
    def event_prefix(self) -> str:
        return EVENT_PREFIXES.get(self.label, self.label)


# Event names published before the manifest existed keep their prefix.
EVENT_PREFIXES = {"early_warning": "warnings"}

_modules: dict[str, Module] = {}
# Every registered module's webhook events, filled by register(): one dict object, so a module
# that imported it early (apps.notifications.events) sees the later registrations too.
EVENTS: dict[str, str] = {}


def resolve(ref: str) -> Any:
    module_name, _, attribute = ref.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def register(module: Module) -> None:
    problems = module.problems()
    if problems:
        raise ValueError(f"Module {module.label}: " + "; ".join(problems))
    for other in _modules.values():
        clash = (set(other.job_kinds) & set(module.job_kinds)) | (
            set(other.events) & set(module.events)
        )
        if other.label != module.label and clash:
            raise ValueError(f"Modules {other.label} and {module.label} both declare {clash}")
    _modules[module.label] = module
    EVENTS.update(module.events)
    if module.audit:
        importlib.import_module(module.audit)  # registers the audited models


def modules() -> list[Module]:
    """Every registered module, in INSTALLED_APPS order."""
    order = {config.label: i for i, config in enumerate(apps.get_app_configs())}
    return sorted(_modules.values(), key=lambda m: order.get(m.label, len(order)))


def job_kinds() -> dict[str, str]:
    return {kind: label for m in modules() for kind, label in m.job_kinds.items()}


def job_result_types() -> dict[str, type]:
    """kind → the GraphQL type of its Job.result (imports each module's GraphQL layer: call it
    when the schema is built, not from a manifest)."""
    return {kind: resolve(ref) for m in modules() for kind, ref in m.job_results.items()}


def tick_handlers() -> dict[str, Callable[[], dict]]:
    return {name: resolve(ref) for m in modules() for name, ref in m.tick_handlers.items()}


def demo_steps() -> list[Callable[..., Any]]:
    """Every module's demo steps, in INSTALLED_APPS order (people before the training records
    that name them, the register before the indicators linked to its risks)."""
    return [resolve(ref) for m in modules() for ref in m.demo_steps]


def roots(kind: str) -> list[type]:
    """The classes of every module contributing to one root: 'query', 'mutation',
    'subscription', 'platform_query' or 'platform_mutation'."""
    return [resolve(ref) for m in modules() if (ref := getattr(m, kind))]


class ModuleConfig(AppConfig):
    """AppConfig of a Fengkong app: loads `<app>.module.MODULE` when Django is ready."""

    def ready(self) -> None:
        manifest = importlib.import_module(f"{self.name}.module")
        module = manifest.MODULE
        if module.label != self.label:
            raise ValueError(f"{self.name}.module declares {module.label!r}, not {self.label!r}")
        register(module)
        if importlib.util.find_spec(f"{self.name}.tasks"):
            importlib.import_module(f"{self.name}.tasks")  # its tasks are known in every process
