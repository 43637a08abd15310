"""The tenant admin as its users meet it: Django's test client, signed in as tenant A's admin,
on tenant A's host. Data is made through the services, as in the rest of the suite."""

import re

import pytest

from tests.conftest import HOST_A

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class AdminPages:
    """GET and POST admin pages of tenant A's host."""

    def __init__(self, client) -> None:
        self.client = client

    def get(self, path: str, **params):
        return self.client.get(f"/admin/{path}", params, HTTP_HOST=HOST_A)

    def post(self, path: str, data: dict, **kwargs):
        return self.client.post(f"/admin/{path}", data, HTTP_HOST=HOST_A, **kwargs)

    def form_data(self, path: str, **changes) -> dict:
        """What the browser would send back from the page at `path` (its form as shown, with
        the inlines' management data), with `changes` applied."""
        page = self.get(path)
        assert page.status_code == 200, path
        form = page.context["adminform"].form
        data: dict = {}
        for name in form.fields:
            value = form[name].value()  # already prepared for the widget
            if isinstance(value, bool) or value is None:
                if value:
                    data[name] = "on"
                continue
            data[name] = value
        for inline in page.context["inline_admin_formsets"]:
            management = inline.formset.management_form
            for name in management.fields:
                data[management.add_prefix(name)] = management[name].value()
        data.update(changes)
        return {k: v for k, v in data.items() if v is not None}

    def change(self, obj) -> str:
        meta = obj._meta
        return f"{meta.app_label}/{meta.model_name}/{obj.pk}/change/"


@pytest.fixture
def pages(client, world) -> AdminPages:
    client.force_login(world.user("a", "admin"))
    return AdminPages(client)


def field_errors(response, field: str) -> list[str]:
    return list(response.context["adminform"].form.errors.get(field, []))


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]
