"""A receiver can prove a request came from us, unchanged, and recently."""

import hashlib
import hmac
import time

from apps.notifications.webhooks import encode_body, headers_for, sign, verify_signature

SECRET = "whsec_test-secret"
BODY = encode_body({"id": "d1", "event": "risks.review_overdue", "data": {"risk": "r1"}})


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body():
    expected = hmac.new(SECRET.encode(), b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, 1700000000, BODY) == f"sha256={expected}"


def test_a_signed_request_verifies():
    headers = headers_for(secret=SECRET, event="risks.review_overdue", delivery_id="d1", body=BODY)
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Fengkong-Event"] == "risks.review_overdue"
    assert headers["X-Fengkong-Delivery"] == "d1"
    assert abs(int(headers["X-Fengkong-Timestamp"]) - time.time()) < 5
    assert verify_signature(
        SECRET, headers["X-Fengkong-Timestamp"], BODY, headers["X-Fengkong-Signature"]
    )
    # A receiver may hand over the body as text.
    assert verify_signature(
        SECRET, headers["X-Fengkong-Timestamp"], BODY.decode(), headers["X-Fengkong-Signature"]
    )


def test_a_changed_body_timestamp_or_secret_does_not_verify():
    now = int(time.time())
    signature = sign(SECRET, now, BODY)
    assert not verify_signature(SECRET, now, BODY.replace(b"r1", b"r2"), signature)
    assert not verify_signature(SECRET, now - 1, BODY, signature)
    assert not verify_signature("whsec_another", now, BODY, signature)
    assert not verify_signature(SECRET, now, BODY, signature.replace("sha256=", "sha1="))
    assert not verify_signature(SECRET, now, BODY, signature[:-1])
    assert not verify_signature(SECRET, now, BODY, "")
    assert not verify_signature(SECRET, "not-a-number", BODY, signature)


def test_a_replayed_request_is_refused_once_its_timestamp_is_old():
    sent_at = 1_700_000_000
    signature = sign(SECRET, sent_at, BODY)
    assert verify_signature(SECRET, sent_at, BODY, signature, now=sent_at + 299)
    assert not verify_signature(SECRET, sent_at, BODY, signature, now=sent_at + 301)
    assert not verify_signature(
        SECRET, sent_at, BODY, signature, tolerance_seconds=60, now=sent_at + 61
    )
    # A timestamp from the future is no better (a clock cannot excuse it beyond the tolerance).
    assert not verify_signature(SECRET, sent_at, BODY, signature, now=sent_at - 301)


def test_the_body_is_compact_and_stable():
    assert encode_body({"b": 1, "a": [1, 2]}) == b'{"a":[1,2],"b":1}'
    assert encode_body({"名": "风控"}) == '{"名":"风控"}'.encode()
