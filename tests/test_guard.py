"""The request guard's handling of bodies, on its own in front of a small ASGI app; what it does in
front of Gradio (queue full, arguments, uploads, huge histories) is tested with a real server in
test_reliability.py and test_web.py."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from careerbot.guard import MAX_VALUES, NO_UPLOADS, TOO_MANY, RequestGuard, _count_values, too_large

LIMIT = 1_000


class Echo:
    """An inner app that answers 200 with the body it was given, and counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.calls += 1
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})


def run(
    chunks: list[bytes], path: str = "/gradio_api/anything", length: int | None = None
) -> tuple[int, bytes, Echo]:
    """Send ``chunks`` as one POST through the guard; (status, body of the answer, inner app)."""
    inner = Echo()
    guard = RequestGuard(inner, max_body=LIMIT)
    headers = [] if length is None else [(b"content-length", str(length).encode())]
    scope = {"type": "http", "method": "POST", "path": path, "headers": headers}
    messages = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop(0)
        await asyncio.sleep(3600)  # as a server does once the body is in: nothing more comes
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(asyncio.wait_for(guard(scope, receive, send), timeout=5))  # a hang fails here
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:]), inner


def test_a_body_under_the_limit_reaches_the_app_intact() -> None:
    status, body, inner = run([b"a" * 400, b"b" * 400])
    assert (status, body, inner.calls) == (200, b"a" * 400 + b"b" * 400, 1)


@pytest.mark.parametrize(
    ("chunks", "length"),
    [
        ([b"x" * 2_000], 2_000),  # said up front: refused before reading
        ([b"x" * 600, b"x" * 600, b"x" * 600], None),  # sent in chunks, found while reading
        ([b"x" * 600, b"x" * 600], None),  # the last chunk crosses the limit: answered, no hang
    ],
)
def test_an_oversized_body_gets_413_and_never_reaches_the_app(
    chunks: list[bytes], length: int | None
) -> None:
    status, body, inner = run(chunks, length=length)
    assert status == 413 and json.loads(body)["detail"] == too_large(LIMIT) and inner.calls == 0


def test_uploads_are_refused_whatever_their_size() -> None:
    for path in ("/gradio_api/upload", "/gradio_api/upload/", "/gradio_api/process_recording"):
        status, body, inner = run([b"tiny"], path=path, length=4)
        assert status == 403 and json.loads(body)["detail"] == NO_UPLOADS and inner.calls == 0


def test_a_call_with_too_many_values_is_refused_before_the_app() -> None:
    history = [{"role": "user", "content": "hi"}] * (MAX_VALUES // 2)
    big = json.dumps({"data": ["pay?", history]}).encode()
    inner = Echo()
    guard = RequestGuard(inner, max_body=len(big))
    scope = {"type": "http", "method": "POST", "path": "/gradio_api/call/chat", "headers": []}
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": big, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(guard(scope, receive, send))
    assert sent[0]["status"] == 413 and json.loads(sent[1]["body"])["detail"] == TOO_MANY
    assert inner.calls == 0


def test_counting_values_stops_just_past_the_cap() -> None:
    assert _count_values({"a": [1, 2, {"b": 3}], "c": "x"}, 100) == 6
    assert _count_values(None, 100) == 0
    assert 10 < _count_values([[0] * 1000] * 1000, 10) < 2_000  # not a million
