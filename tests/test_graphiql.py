"""GraphiQL works without internet access: every asset comes from the application itself."""

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import strawberry
from django.contrib.staticfiles import finders
from django.test import override_settings

from apps.accounts.models import User
from tests.conftest import HOST_A

# strawberry's own page: it names the upstream files (unpkg URLs) and their SRI hashes.
STRAWBERRY_PAGE = Path(strawberry.__file__).parent / "static" / "graphiql.html"
UPSTREAM_ASSET = re.compile(
    r'(?:src|href)="https://unpkg\.com/(?P<path>[^"]+)"\s+integrity="sha384-(?P<sri>[^"]+)"'
)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def _graphiql_page(client, world, host=HOST_A, email="admin@a.test"):
    client.force_login(User.objects.get(email=email))
    response = client.get("/graphql/", HTTP_HOST=host, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    return response.content.decode()


def _referenced(page: str) -> list[str]:
    parser = _Links()
    parser.feed(page)
    return parser.urls


@pytest.mark.parametrize("production", [False, True])
def test_graphiql_references_no_external_host(client, world, production):
    with override_settings(PRODUCTION=production):
        page = _graphiql_page(client, world)
    urls = _referenced(page)
    assert len(urls) >= 7  # React, ReactDOM, js-cookie, GraphiQL js+css, explorer js+css
    for url in urls:
        assert url.startswith("/static/"), url
    assert not re.search(r"https?://|//unpkg|unpkg\.com|jsdelivr|cdnjs", page, re.IGNORECASE)


def test_every_asset_of_graphiql_answers_200(client, world):
    page = _graphiql_page(client, world)
    for url in _referenced(page):
        response = client.get(url, HTTP_HOST=HOST_A)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content)
        assert len(body) > 100, url


def test_graphiql_on_the_platform_host_is_local_too(client, world):
    from django.conf import settings

    page = _graphiql_page(
        client, world, host=settings.PUBLIC_DOMAIN, email="operator@platform.test"
    )
    assert all(url.startswith("/static/") for url in _referenced(page))


def test_vendored_files_are_exactly_those_strawberry_expects():
    # strawberry pins versions and sha384 hashes in its own page; an upgrade that moves GraphiQL
    # to another version fails here until the files under static/graphiql/vendor/ follow.
    upstream = UPSTREAM_ASSET.findall(STRAWBERRY_PAGE.read_text())
    assert len(upstream) == 7
    for path, sri in upstream:
        found = finders.find(f"graphiql/vendor/{path}")
        assert found, f"not vendored: {path}"
        digest = base64.b64encode(hashlib.sha384(Path(found).read_bytes()).digest()).decode()
        assert digest == sri, f"{path} differs from the file strawberry's page names"
