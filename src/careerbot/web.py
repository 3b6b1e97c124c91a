"""The Gradio chat UI: a thin face over ``Engine.ask``."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any

from .config import Settings
from .errors import CareerbotError

log = logging.getLogger(__name__)


def sources_markdown(answer: Any) -> str:
    """Numbered sources with the quoted passage, for the foldable "Sources" message."""
    parts = []
    for i, s in enumerate(answer.sources, 1):
        quote = "\n".join(f"> {line}" for line in s.text.splitlines() if line.strip())
        parts.append(f"**[{i}] {s.breadcrumb}**\n\n{quote}")
    return "\n\n".join(parts)


def build_app(engine: Any | None = None) -> Any:
    """The Gradio Blocks app; ``engine`` defaults to one built from ``CAREERBOT_*`` settings."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    from .engine import Engine

    engine = engine or Engine(Settings.from_env())
    searcher = engine.searcher()  # load model and index before the first visitor
    faq = [c.title for c in searcher.chunks if c.kind == "faq"][:6]

    def respond(message: str, history: Sequence[dict[str, Any]]) -> list[Any]:
        try:
            answer = engine.ask(message, list(history))
        except CareerbotError as exc:
            return [gr.ChatMessage(role="assistant", content=str(exc))]
        except Exception:  # the server keeps going; the person gets a short message
            log.exception("answering failed")
            return [
                gr.ChatMessage(role="assistant", content="Sorry, something went wrong. Please try again.")
            ]
        out = [gr.ChatMessage(role="assistant", content=answer.text)]
        if answer.sources:
            out.append(
                gr.ChatMessage(
                    role="assistant", content=sources_markdown(answer), metadata={"title": "Sources"}
                )
            )
        return out

    return gr.ChatInterface(
        respond,
        title="careerbot",
        description=f"Answers quoted from: {', '.join(searcher.guides)}. Every answer cites its sections.",
        examples=faq or None,
        api_name="chat",
        concurrency_limit=4,
        chatbot=gr.Chatbot(height=560, sanitize_html=True, render_markdown=True),
    )


def launch(host: str | None = None, port: int | None = None, engine: Any | None = None) -> None:
    """Serve on 127.0.0.1:7860 unless told otherwise (flags, then GRADIO_SERVER_NAME/PORT)."""
    app = build_app(engine)
    app.queue(default_concurrency_limit=4)
    app.launch(
        server_name=host or os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
        server_port=port or int(os.environ.get("GRADIO_SERVER_PORT", "7860")),
        share=False,
        show_error=False,
    )
