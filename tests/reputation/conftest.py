from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def weibo(in_a):
    from apps.reputation.services.sources import source_create

    return source_create(code="weibo_brand", name="Weibo brand search", channel="weibo")


@pytest.fixture
def appstore(in_a):
    from apps.reputation.services.sources import source_create

    return source_create(code="app_reviews", name="App store reviews", channel="app_store")


def hours_ago(n: float):
    return timezone.now() - timedelta(hours=n)


def mention(external_id: str, text: str, *, source: str = "weibo_brand", hours: float = 1, **kw):
    from apps.reputation.services.ingestion import MentionIn

    return MentionIn(
        source=source, external_id=external_id, published_at=hours_ago(hours), text=text, **kw
    )
