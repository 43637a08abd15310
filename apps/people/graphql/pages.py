"""The pages of people a request has resolved, so a per-person field can answer a whole page at
once: GraphQL here executes depth-first and synchronously, so the first person's `training` is
resolved before the second person's is even asked for — no data loader can gather them. The
people connections (`people`, `Department.people`, `Person.reports`) note each page they return
(`RememberPage`, outermost on the field); `page_of(info, pk)` then gives the page a person
belongs to (the most recent one), or just that person outside a page."""

from typing import Any

from strawberry.extensions import FieldExtension

MAX_REMEMBERED = 20  # pages kept per request; older ones are forgotten (a page is ≤ 100 people)


def _pages(info: Any) -> list[tuple]:
    context = info.context
    if isinstance(context, dict):
        return context.setdefault("_person_pages", [])
    pages = getattr(context, "_person_pages", None)
    if pages is None:
        pages = []
        context._person_pages = pages
    return pages


class RememberPage(FieldExtension):
    """Notes the people of the page a connection field returns (after the connection is made)."""

    def resolve(self, next_: Any, source: Any, info: Any, **kwargs: Any) -> Any:
        connection = next_(source, info, **kwargs)
        pks = tuple(edge.node.pk for edge in connection.edges)
        if pks:
            pages = _pages(info)
            pages.append((frozenset(pks), pks))
            del pages[:-MAX_REMEMBERED]
        return connection


def remember_page(field: Any) -> Any:
    """`field` (a people connection) with RememberPage around its connection extension."""
    field.extensions.append(RememberPage())
    return field


def request_memo(info: Any) -> dict:
    """A dict that lives as long as this request (what a page's batch keeps its answer in)."""
    context = info.context
    if isinstance(context, dict):
        return context.setdefault("_page_memo", {})
    memo = getattr(context, "_page_memo", None)
    if memo is None:
        memo = {}
        context._page_memo = memo
    return memo


def page_of(info: Any, pk: Any) -> tuple:
    """The people of the latest page holding `pk`, in page order; `(pk,)` when none does."""
    for members, pks in reversed(_pages(info)):
        if pk in members:
            return pks
    return (pk,)
