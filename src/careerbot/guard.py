"""What every web request passes before Gradio sees it: a small ASGI middleware.

Gradio reads, parses and copies a whole request before it looks at its queue or at the
arguments, and a call whose arguments do not fit ends in an HTTP 500 (or an error deep in its
queue) with a traceback in the log. careerbot's web face is small — text in, text out — so its
bounds are simple, and are checked here first:

- a body is at most ``max_body`` bytes (HTTP 413), counted before anything parses it, and a call
  holds at most ``MAX_VALUES`` JSON values (HTTP 413): Gradio's work on a call grows with its
  values, not its bytes (2 MB of 55,000 two-letter messages cost about 150 ms of the server's one
  event loop, all before careerbot keeps the last 40 messages);
- file uploads are refused (HTTP 403): nothing in careerbot takes a file, and without a login
  anyone could otherwise store files in Gradio's temp folder;
- a call that would find the queue full is told so (HTTP 503) before anything parses it, counting
  the calls already passed on to Gradio but not yet queued: in a burst, all of them arrive
  before the first is queued, so Gradio's own check would parse every one of them first;
- a call whose arguments do not fit its endpoint gets HTTP 404/422 saying what is expected, and
  the log gets one line instead of a traceback.
"""

from __future__ import annotations

import inspect
import json
import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

API = "/gradio_api"
# Gradio's routes that store files sent to them (uploads, and recordings from a microphone).
UPLOADS = {f"{API}/upload", f"{API}/process_recording"}
# Routes that put a call on Gradio's queue (or, were the REST routes open, would run it at once).
_JOIN = re.compile(rf"^{API}/(?:queue/join|call/v2/[^/]+|call/[^/]+|run/[^/]+|api/[^/]+)/?$")
_BY_NAME = re.compile(rf"^{API}/(call/v2|call|run|api)/([^/]+)/?$")  # a call to an endpoint by name
# Values (items of lists and objects, at any depth) one call may hold: the web chat sends its whole
# conversation with each question, about 26 values (and 1 KB) a turn, so this is a chat of some
# 750 turns, while careerbot reads only the last 40 messages.
MAX_VALUES = 20_000
DRAIN_FACTOR = 8  # a refused body up to this many times the limit is read and dropped (see _refuse)

BUSY = "careerbot is busy right now (the queue is full). Please try again in a moment."
NO_UPLOADS = "careerbot takes no file uploads."
TOO_MANY = (
    "This conversation is too long to send in one request. Start a new chat, or send only the "
    "recent messages (only the most recent ones are read)."
)
INFO_HINT = f"see {API}/info for the endpoints and the arguments each one takes"
NO_ENDPOINT = f"There is no such API endpoint here; {INFO_HINT}."


def too_large(limit: int) -> str:
    """The refusal for a body over ``limit`` bytes: what the limit is and how to stay under it."""
    return (
        f"This request is larger than {limit / 1_000_000:g} MB, the most this server accepts; "
        "for a chat, send a shorter history (only the most recent messages are read)."
    )


class RequestGuard:
    """ASGI middleware in front of a Gradio app (given to ``launch(app_kwargs={"middleware":
    [...]})``); see the module docstring for what it refuses and why."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body
        self.joining = 0  # calls passed on to Gradio that it has not yet queued or refused

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in {"GET", "HEAD", "OPTIONS"}:
            await self.app(scope, receive, send)
            return
        path = scope["path"].removeprefix(scope.get("root_path", "")) or "/"
        if path.rstrip("/") in UPLOADS:
            await self._refuse(send, receive, 403, NO_UPLOADS)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body:
            await self._refuse(send, receive, 413, too_large(self.max_body))
            return
        body, ended = await _read_body(receive, self.max_body)
        if body is None:  # over the limit after all (a body sent in chunks), or the client left
            await self._refuse(send, receive if not ended else None, 413, too_large(self.max_body))
            return
        if not _JOIN.match(path):
            await self.app(scope, _replay(body, receive), send)
            return
        if _queue_full(scope, self.joining):
            await _answer(send, 503, BUSY)
            return
        payload = _json(body)
        if _count_values(payload, MAX_VALUES) > MAX_VALUES:
            log.warning("Refused %s: more than %d values", path, MAX_VALUES)
            await _answer(send, 413, TOO_MANY)
            return
        if (misfit := _misfit(scope, path, payload)) is not None:
            log.warning("Refused %s: %s", path, misfit[1])
            await _answer(send, *misfit)
            return
        await self._join(scope, _replay(body, receive), send, path)

    async def _refuse(self, send: Send, receive: Receive | None, status: int, detail: str) -> None:
        """Answer ``status`` without parsing the body. A client still sending only reads the answer
        if the server reads what it sends (else the connection is reset under it), so up to
        ``DRAIN_FACTOR`` times the limit is read and dropped; past that the connection is closed.
        ``receive`` is None when the body has been read to its end already."""
        read = 0
        while receive is not None and read <= self.max_body * DRAIN_FACTOR:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left
            read += len(message.get("body", b""))
            if not message.get("more_body", False):
                break
        await _answer(send, status, detail, close=True)

    async def _join(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        """Pass a call on to Gradio, counted as joining until Gradio answers it; arguments that do
        not fit the endpoint, which Gradio raises on, are answered 404/422 in one log line."""
        answered = False

        async def sending(message: Message) -> None:
            nonlocal answered
            if message["type"] == "http.response.start" and not answered:
                answered = True
                self.joining -= 1
            await send(message)

        self.joining += 1
        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            # Gradio's call routes raise these for an unknown keyword, a missing argument or no
            # such endpoint, before anything is queued: nothing of careerbot's has run.
            if answered or not _is_argument_error(exc):
                raise
            missing = isinstance(exc, KeyError) or type(exc).__name__ == "FnIndexInferError"
            detail = NO_ENDPOINT if missing else f"{_gradio_text(exc)} ({INFO_HINT})."
            log.warning("Refused %s: %s", path, detail)
            await _answer(send, 404 if missing else 422, detail)
        finally:
            if not answered:
                self.joining -= 1


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands over the body already read, then listens to the client again."""
    pending: list[bytes] = [body]

    async def replay() -> Message:
        if pending:
            return {"type": "http.request", "body": pending.pop(), "more_body": False}
        return await receive()

    return replay


def _is_argument_error(exc: Exception) -> bool:
    return isinstance(exc, TypeError | KeyError) or type(exc).__name__ == "FnIndexInferError"


def _gradio_text(exc: Exception) -> str:
    """Gradio's own words for a bad argument, without its pointer to a footer the app hides."""
    text = str(exc).split(" Please click on 'view API'")[0].strip().rstrip(".")
    return text.splitlines()[0] if text else "These arguments do not fit this endpoint"


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _queue_full(scope: Scope, joining: int) -> bool:
    """Whether Gradio's queue is at its ``max_size`` once the ``joining`` calls are in (the test
    Gradio makes in ``Queue.push``, whose ``_queue`` its own routes use the same way)."""
    try:
        queue = scope["app"].get_blocks()._queue
    except Exception:  # not a Gradio app, or no queue: nothing to check here
        return False
    size = getattr(queue, "max_size", None)
    return size is not None and len(queue) + joining >= size


async def _read_body(receive: Receive, limit: int) -> tuple[bytes | None, bool]:
    """(the whole request body, or None once it is over ``limit`` bytes or the client left;
    whether nothing more is coming)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None, True
        chunk = message.get("body", b"")
        size += len(chunk)
        ended = not message.get("more_body", False)
        if size > limit:
            return None, ended
        chunks.append(chunk)
        if ended:
            return b"".join(chunks), True


def _json(body: bytes) -> Any:
    """The parsed body, or None when it is not JSON (Gradio answers that with a 422 of its own)."""
    try:
        return json.loads(body)
    except ValueError:
        return None


def _count_values(payload: Any, cap: int) -> int:
    """How many values ``payload`` holds at any depth, counting no further than just past ``cap``."""
    count = 0
    stack = [payload]
    while stack and count <= cap:
        item = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        for child in children:
            count += 1
            if isinstance(child, dict | list):
                stack.append(child)
    return count


def _misfit(scope: Scope, path: str, payload: Any) -> tuple[int, str] | None:
    """(status, what is wrong) for a call Gradio would take but should not: one by name to a
    handler of the page that is not an API endpoint (Gradio runs those too, and the wrong values
    fail in its queue), or one with fewer values than its endpoint takes (Gradio finds that only
    inside its queue, logs a traceback with every value received and tells the client nothing
    useful). None when the call fits, or when Gradio itself answers clearly."""
    try:
        fns = scope["app"].get_blocks().fns
    except Exception:
        return None
    named = _BY_NAME.match(path)
    if named:
        fn = next((f for f in fns.values() if f.api_name == named.group(2)), None)
        if fn is not None and getattr(fn, "api_visibility", "public") == "private":
            return 404, NO_ENDPOINT
    elif isinstance(payload, dict) and isinstance(payload.get("fn_index"), int):  # /queue/join
        fn = fns.get(payload["fn_index"])
    else:
        return None
    data = payload.get("data") if isinstance(payload, dict) else None
    if fn is None or not isinstance(data, list) or (named and named.group(1) != "call"):
        return None  # no such endpoint (Gradio raises: answered 404), or not a list of values
    inputs = [b for b in fn.inputs if not (named and getattr(b, "skip_api", False))]
    if len(data) >= len(inputs):
        return None
    try:
        names = list(inspect.signature(fn.fn).parameters)[: len(inputs)]
    except (TypeError, ValueError):
        names = []
    what = f" ({', '.join(names)})" if len(names) == len(inputs) else ""
    return 422, f'This endpoint takes {len(inputs)} values in "data"{what}, not {len(data)}; {INFO_HINT}.'


async def _answer(send: Send, status: int, detail: str, close: bool = False) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
