"""What a tenant's tick runs. Apps register a handler in their AppConfig.ready().

Each handler decides from the tenant's own data what is due (frequencies live in data, not in
code), and must be idempotent: the tick may run twice.
"""

from collections.abc import Callable

TickHandler = Callable[[], dict]
_handlers: dict[str, TickHandler] = {}


def register_tick_handler(name: str, handler: TickHandler) -> None:
    _handlers[name] = handler


def tick_handlers() -> dict[str, TickHandler]:
    return dict(_handlers)
