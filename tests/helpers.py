"""Small builders shared by the fast unit tests (imported as ``helpers``; tests/ is on sys.path)."""

import socket
from pathlib import Path

from careerbot.ingest import Chunk, units_of
from careerbot.retrieve import Hit

# The shipped guide and the profile texts the profile and plan tests share.
ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "corpus" / "lead-technician.txt"

PLC = "Programmable Logic Controller (PLC) Programming"
NETWORK = "Network Infrastructure Troubleshooting"
TEAM = "Team Leadership and Mentoring"
PLC_EXAMPLE = (
    "I've been a technician for about 6 years, did a vocational program, "
    "I know PLCs and Wireshark but never led a team"
)
ACCEPTANCE = "I have 3 years as a technician and want to lead a team"


def make_hit(section: str, text: str, kind: str, score: float, scores: list[float] | None = None) -> Hit:
    """A retrieved section with every unit scored 0.5 unless ``scores`` says otherwise."""
    units = units_of(text)
    chunk = Chunk(f"id-{section}", "Test Guide", "test", section, kind, text, 0)
    sims = scores or [0.5] * len(units)
    return Hit(
        chunk,
        score,
        0.5,
        0.5,
        tuple(u.text for u in units),
        tuple(u.kind for u in units),
        tuple(sims),
        0.3,
        0.5,
    )


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (for a server a test starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
