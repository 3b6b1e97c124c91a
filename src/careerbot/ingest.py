"""Load guides, repair their text, recover the section tree and cut it into chunks.

Plain text scraped from a career site has no markup, so structure is recovered from layout:
one-line blocks that look like titles are headings, and the site's well-known section names
decide which headings are top level. Markdown uses its ``#`` headings, HTML its ``<h1>``-``<h6>``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ftfy

from .errors import CorpusError

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
PATH_SEP = " > "


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Section:
    """One node of a guide's section tree with its own body text."""

    path: tuple[str, ...]
    text: str
    kind: str  # "prose" | "list" | "facts" | "faq"

    @property
    def name(self) -> str:
        return PATH_SEP.join(self.path)


@dataclass(frozen=True)
class Guide:
    """A cleaned guide: title, role and its sections in reading order."""

    title: str
    role: str
    slug: str
    source: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Chunk:
    """The unit that is embedded, retrieved and cited."""

    id: str
    guide: str
    slug: str
    section: str
    kind: str
    text: str
    order: int

    @property
    def title(self) -> str:
        """The last part of the section path (e.g. the FAQ question)."""
        return self.section.split(PATH_SEP)[-1]


@dataclass(frozen=True)
class Unit:
    """A sentence, list item or ``label: value`` line of a chunk: what answers quote."""

    text: str
    kind: str  # "sent" | "item" | "kv"
    index: int


# --------------------------------------------------------------------------- repair

# UTF-8 pages that went through a Greek (Windows-1253) decoder, with the bytes that codepage
# leaves undefined taken from Windows-1252, then saved as UTF-8 again. ftfy recognises the
# pure-1252 case but not this mix, so undo it: map characters back to their byte and keep a
# replacement only where the bytes form a valid UTF-8 sequence. Real text (a lone curly quote,
# real Greek words) never forms such a sequence and stays as it is.


@cache
def _byte_of() -> dict[str, int]:
    table: dict[str, int] = {}
    for codec in ("cp1252", "cp1253"):  # later wins: cp1253 first for bytes both define
        for b in range(0x80, 0x100):
            try:
                table[bytes([b]).decode(codec)] = b
            except UnicodeDecodeError:
                continue
    return table


@cache
def _mapped_run() -> re.Pattern[str]:
    # Only runs of two or more mappable characters can hide a UTF-8 sequence; the regex engine
    # skips everything else (most of a guide) far faster than a Python loop over characters.
    chars = "".join(re.escape(c) for c in sorted(_byte_of()))
    return re.compile(f"[{chars}]{{2,}}")


def _utf8_length(lead: int) -> int:
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _decode_run(run: str) -> str:
    table = _byte_of()
    out: list[str] = []
    i = 0
    while i < len(run):
        n = _utf8_length(table[run[i]])
        if n and i + n <= len(run):
            raw = bytes(table[c] for c in run[i : i + n])
            if all(0x80 <= b <= 0xBF for b in raw[1:]):
                try:
                    out.append(raw.decode("utf-8"))
                    i += n
                    continue
                except UnicodeDecodeError:
                    pass
        out.append(run[i])
        i += 1
    return "".join(out)


def repair_codepage_mojibake(text: str) -> str:
    """Undo UTF-8 bytes shown through Windows-1253/1252 ("β€”" → "—", "πŸ“ˆ" → "📈")."""
    return _mapped_run().sub(lambda m: _decode_run(m.group()), text)


# A line of printable ASCII without "&" (most of a guide) is one ftfy leaves as it is: skipping it
# saves ftfy's per-line work, a third of reading a guide.
_PLAIN_LINE = re.compile(r"[\t\x20-\x25\x27-\x7e]*\n?")


def _fix_lines(text: str, entities: bool = True) -> str:
    """``ftfy.fix_text`` line by line, as ftfy does it, passing plain ASCII lines through."""
    out: list[str] = []
    unescape: str | bool = "auto" if entities else False
    for line in re.findall(r"[^\n]*\n|[^\n]+$", text):  # ftfy's segments: lines ending at "\n"
        if "<" in line:  # ftfy's rule: after markup is seen, stop unescaping entities
            unescape = False
        if _PLAIN_LINE.fullmatch(line):
            out.append(line)
            continue
        out.append(
            ftfy.fix_text(
                line,
                uncurl_quotes=False,
                fix_character_width=False,
                normalization="NFC",
                unescape_html=unescape,
            )
        )
    return "".join(out)


def repair_text(text: str, entities: bool = True) -> str:
    """Fix mojibake and odd whitespace while keeping real curly quotes and emoji.

    ``entities`` decodes HTML entities left in the text ("&amp;" → "&"); text that was already
    decoded (an HTML page's) passes False, so its literal "&lt;" stays as written.
    """
    text = repair_codepage_mojibake(text)
    # ftfy for the cases it knows (Latin-1/1252 mojibake, HTML entities in text, ...); keep
    # typographic quotes, they are the guide's own.
    text = _fix_lines(text, entities)
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    return text


# --------------------------------------------------------------------------- boilerplate

# Site chrome seen on career-guide pages: share widgets, paywall/pricing blocks, account links.
_CHROME_LINE = re.compile(
    r"^(share( this)?( career)?( guide| page| article)?|share on \w+|copy link|go to account\b.*|"
    r"sign (in|up)|log ?in|subscribe( now)?|back to top|print( this page)?|advertisement)\W*$",
    re.IGNORECASE,
)
_CHROME_BLOCK = re.compile(
    r"(\bsubscription\b|\b(usd|\$)\s?\$?\d+(\.\d+)?\s*/\s*(month|mo|year|yr)\b|pay to access|"
    r"\bad-free\b|upgrade to|everything in \w+, and)",
    re.IGNORECASE,
)


def strip_boilerplate(blocks: list[list[str]]) -> list[list[str]]:
    """Drop share links, account links and the pricing/subscription tail of the page."""
    kept = [[ln for ln in b if not _CHROME_LINE.match(ln.strip())] for b in blocks]
    kept = [b for b in kept if b]
    # A paywall block marks the start of page chrome: everything after it is the site's, not
    # the guide's. Only trust this in the last part of the page so a guide that merely
    # mentions a subscription keeps its text.
    for i, block in enumerate(kept):
        if i >= len(kept) * 0.6 and _CHROME_BLOCK.search(" ".join(block)):
            start = i
            # Take the short heading-like lines just before it (the widget's own title).
            while (
                start > 0
                and i - start < 3
                and len(kept[start - 1]) == 1
                and len(kept[start - 1][0].split()) <= 3
                and not kept[start - 1][0].rstrip().endswith((".", "!", "?"))
            ):
                start -= 1
            return kept[:start]
    return kept


# --------------------------------------------------------------------------- layout

_BULLET = re.compile(r"^\s*(?:[•·▪●◦‣∙*\-–]\s*)+")
_LABEL_VALUE = re.compile(r"^([A-Z0-9][\w &/()'’,.–-]{0,60}):\s+(\S.*)$")
_VALUE = re.compile(r"^[$€£]?\s?\d[\d,.]*\s*(?:[%+kK]|[—–-]\s?[$€£]?\d[\d,.]*\+?)?\+?$")
_RANGE = re.compile(r"^[$€£]?\d[\d,.]*\s?[—–-]\s?[$€£]?\d[\d,.]*\+?$")
_SCALE = {"low", "medium", "moderate", "high", "very high", "very low"}
_EMOJI_PREFIX = re.compile(r"^[^\w(]+", re.UNICODE)


def _clean_heading(line: str) -> str:
    """Remove leading emoji/flags and surrounding markup from a heading."""
    return _EMOJI_PREFIX.sub("", line.strip()).strip(" #*")


def is_heading(line: str) -> bool:
    """Whether a one-line block reads like a section title."""
    s = line.strip()
    if not s or len(s) > 160 or (_BULLET.match(s) and not s.startswith(("*", "-"))) or _VALUE.match(s):
        return False
    if s.endswith("?"):  # FAQ questions
        return len(s.split()) <= 25
    body = _clean_heading(s)
    if not body or len(body) > 100 or body[-1] in ".,;:!" or _LABEL_VALUE.match(body):
        return False
    if not body[0].isupper() and not body[0].isdigit() and body[0] != "(":
        return False
    words = body.split()
    if len(words) > 14:
        return False
    long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
    capped = sum(w[0].isupper() for w in long_words)
    return not long_words or capped / len(long_words) >= 0.6


# Section names of the career-guide site this corpus comes from; role names vary per guide.
_SITE_TOP = [
    r"market demand",
    r"annual salary.*",
    r"salary.*",
    r"core functions of (the )?.+",
    r"key responsibilities",
    r"work setting",
    r"tech stack",
    r"skills (and|&) qualifications",
    r"path to .+",
    r"required education",
    r"career path tiers",
    r"global outlook",
    r"job market today",
    r"a day in the life",
    r"work-life balance.*",
    r"skill map",
    r"pros (&|and) cons.*",
    r"common mistakes.*",
    r"contextual advice",
    r"examples (and|&) case studies",
    r"portfolio tips",
    r"job outlook.*",
    r"frequently asked questions|faqs?",
    r"sources (&|and) references",
]
_SITE_TOP_RE = re.compile("^(?:" + "|".join(_SITE_TOP) + ")$", re.IGNORECASE)


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    for raw in re.split(r"\n\s*\n", text):
        lines = [ln.rstrip() for ln in raw.split("\n") if ln.strip()]
        if lines:
            blocks.append(lines)
    return blocks


def _normalise_body(heading: str, blocks: list[list[str]]) -> list[str]:
    """Turn a section's blocks into clean lines: ``- item``, ``Label: value`` or paragraphs."""
    out: list[str] = []
    i = 0
    while i < len(blocks):
        lines = [ln.strip() for ln in blocks[i]]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        # Stat widget: a lone value block followed by a lowercase caption ("7%" / "growth rate").
        if (
            len(lines) == 1
            and _VALUE.match(lines[0])
            and nxt
            and len(nxt) == 1
            and nxt[0].strip()[:1].islower()
            and len(nxt[0].split()) <= 4
        ):
            out.append(f"{nxt[0].strip().capitalize()}: {lines[0]}")
            i += 2
            continue
        # Scale widget: "Low / High / <value>" under a heading such as "Market Demand".
        if len(lines) >= 3 and lines[0].lower() in _SCALE and lines[1].lower() in _SCALE:
            out.append(f"{heading}: {' '.join(lines[2:])}")
            i += 1
            continue
        j = 0
        paragraph: list[str] = []
        while j < len(lines):
            ln = lines[j]
            if _BULLET.match(ln):
                item = _BULLET.sub("", ln).strip()
                if item:
                    out.append(f"- {item}")
            elif _RANGE.match(ln):
                out.append(f"Range: {ln}")
            elif (
                j + 1 < len(lines)
                and _VALUE.match(lines[j + 1])
                and not _VALUE.match(ln)
                and len(ln.split()) <= 4
                and not ln.endswith((".", ":"))
            ):
                out.append(f"{ln}: {lines[j + 1]}")  # "Entry-Level" / "$65,250"
                j += 1
            elif _LABEL_VALUE.match(ln) and len(ln) < 120:
                out.append(ln)
            else:
                paragraph.append(ln)
            j += 1
        if paragraph:
            text = " ".join(paragraph)
            if len(text.split()) <= 3 and text[:1].islower():
                text = text[:1].upper() + text[1:]  # lone tag such as "remote-friendly"
            out.append(text)
        i += 1
    return out


def _kind(lines: list[str], path: tuple[str, ...]) -> str:
    if path[-1].endswith("?"):
        return "faq"
    items = sum(ln.startswith("- ") for ln in lines)
    kvs = sum(bool(_LABEL_VALUE.match(ln)) and len(ln) < 120 for ln in lines)
    if items and items >= len(lines) / 2:
        return "list"
    if kvs and kvs >= len(lines) / 2:
        return "facts"
    return "prose"


def parse_plain(text: str, fallback_title: str) -> tuple[str, list[Section]]:
    """Recover title and section tree from a scraped plain-text page."""
    blocks = strip_boilerplate(_blocks(repair_text(text)))
    if not blocks:
        return fallback_title, []
    title = fallback_title
    if len(blocks[0]) == 1 and is_heading(blocks[0][0]):
        title = _clean_heading(blocks.pop(0)[0])
    # heading index → (level, name); everything between headings is the previous one's body.
    marks: list[tuple[int, str]] = [
        (i, _clean_heading(b[0])) for i, b in enumerate(blocks) if len(b) == 1 and is_heading(b[0])
    ]
    known = [bool(_SITE_TOP_RE.match(name)) for _, name in marks]
    use_site = sum(known) >= 3
    sections: list[Section] = []
    ends = [m[0] for m in marks[1:]] + [len(blocks)] if marks else []
    first = marks[0][0] if marks else len(blocks)
    if first:
        lines = _normalise_body("Overview", blocks[:first])
        sections.append(Section(("Overview",), "\n".join(lines), _kind(lines, ("Overview",))))
    parent: str | None = None
    parent_has_body = False
    for (start, name), end, is_top in zip(marks, ends, known, strict=True):
        body = blocks[start + 1 : end]
        if use_site:
            top = is_top or parent is None
        else:
            # No site vocabulary: a heading directly followed by a heading opens a group whose
            # members follow until the next such container.
            top = parent is None or not body or parent_has_body is not False
        if top or parent is None:  # (no parent yet always makes a top heading)
            parent, parent_has_body = name, bool(body)
            path: tuple[str, ...] = (name,)
        else:
            path = (parent, name)
        lines = _normalise_body(name, body)
        if lines:
            sections.append(Section(path, "\n".join(lines), _kind(lines, path)))
    return title, sections


def parse_markdown(text: str, fallback_title: str) -> tuple[str, list[Section]]:
    """Sections from Markdown ``#`` headings; the first ``#`` heading is the title."""
    from markdown_it import MarkdownIt

    text = repair_text(text)
    tokens = MarkdownIt("commonmark").parse(text)
    heads: list[tuple[int, int, str]] = []  # (level, first body line, title)
    for k, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.map:
            heads.append((int(tok.tag[1]), tok.map[1], tokens[k + 1].content.strip()))
    return _outline_sections(text.splitlines(), heads, fallback_title)


def _outline_sections(
    lines: list[str], heads: list[tuple[int, int, str]], fallback_title: str
) -> tuple[str, list[Section]]:
    """Title and sections of a text whose headings are known: (level, first body line, title)
    each, the heading itself on the line before its body."""
    title = fallback_title
    if heads and heads[0][0] == 1:
        title = _clean_heading(heads[0][2])
        top_level = heads[0][0] + 1
        heads_iter = heads[1:]
        pre_start = heads[0][1]
    else:
        top_level = min((h[0] for h in heads), default=1)
        heads_iter = heads
        pre_start = 0
    starts = [h[1] - 1 for h in heads_iter] + [len(lines)]
    sections: list[Section] = []
    overview = "\n".join(lines[pre_start : starts[0]] if heads_iter else lines[pre_start:])
    if overview.strip():
        body = _normalise_body("Overview", _blocks(overview))
        sections.append(Section(("Overview",), "\n".join(body), _kind(body, ("Overview",))))
    stack: list[tuple[int, str]] = []
    for (level, body_start, name), end in zip(heads_iter, starts[1:], strict=True):
        level = max(level, top_level)
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, _clean_heading(name)))
        path = tuple(n for _, n in stack)
        body = _normalise_body(path[-1], _blocks("\n".join(lines[body_start:end])))
        if body:
            sections.append(Section(path, "\n".join(body), _kind(body, path)))
    return title, sections


def parse_html(html: str, fallback_title: str) -> tuple[str, list[Section]]:
    """Sections from a published page: main content, every tab, ``h1``-``h4`` as the tree.

    The page's headings come from its tags (``page_outline``), not from reading its text back
    as Markdown, and its text is already decoded, so it is repaired without decoding entities
    again: ``&amp;lt;b&amp;gt;`` on a page reads "&lt;b&gt;", and stays so.
    """
    from .htmlpage import page_outline

    title, lines, heads = page_outline(html)
    lines = [repair_text(line, entities=False) for line in lines]
    # a heading's text as repaired on its own line ("## Pay" → "Pay")
    heads = [(level, at, lines[at - 1][level + 1 :].strip()) for level, at, _ in heads]
    return _outline_sections(lines, heads, title or fallback_title)


# --------------------------------------------------------------------------- guides


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "guide"


def role_of(title: str) -> str:
    """ "Lead Technician Career Path Guide" → "Lead Technician"."""
    role = re.sub(
        r"\s*[:|–—-]?\s*(career( path)?|job)?\s*(guide|profile|overview)\s*$", "", title, flags=re.I
    )
    return role.strip() or title


MAX_GUIDE_MB = 10  # a career guide is tens of kilobytes; 10 MB of text would take minutes to embed


def read_text(path: Path) -> str:
    """A guide file's text; a clear ``CorpusError`` naming the file when it cannot be a guide."""
    try:
        size = path.stat().st_size
        if size > MAX_GUIDE_MB * 1_000_000:
            raise CorpusError(
                f"{path.name} is {size / 1_000_000:.0f} MB; guides may be at most {MAX_GUIDE_MB} MB. "
                "Split it or remove it from the corpus folder."
            )
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path.name} cannot be read ({exc.strerror}); check its permissions.") from exc
    head = data[:8192]
    controls = sum(b < 9 or 13 < b < 32 for b in head)
    if b"\0" in head or controls > len(head) * 0.05:
        raise CorpusError(f"{path.name} looks like a binary file, not a guide; remove it or save it as text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def load_guide(path: Path) -> Guide:
    """Read one guide file of any supported format."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise CorpusError(f"{path.name}: unsupported guide format; use one of {', '.join(SUFFIXES)}.")
    raw = read_text(path)
    fallback = path.stem.replace("-", " ").replace("_", " ").title()
    if suffix in (".md", ".markdown"):
        title, sections = parse_markdown(raw, fallback)
    elif suffix in (".html", ".htm"):
        title, sections = parse_html(raw, fallback)
    else:
        title, sections = parse_plain(raw, fallback)
    if not sections:
        raise CorpusError(f"{path.name}: no readable text found; is it an empty or binary file?")
    return Guide(title, role_of(title), slugify(path.stem), path.name, tuple(sections))


def guide_files(corpus_dir: Path) -> list[Path]:
    if not corpus_dir.is_dir():
        raise CorpusError(
            f"Corpus folder {corpus_dir} does not exist; set CAREERBOT_CORPUS_DIR or create it."
        )
    try:
        files = sorted(p for p in corpus_dir.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
    except OSError as exc:
        raise CorpusError(f"Corpus folder {corpus_dir} cannot be read ({exc.strerror}).") from exc
    stems: dict[str, Path] = {}
    for p in files:  # guides are known by their slug: two files with one would overwrite each other
        other = stems.setdefault(slugify(p.stem), p)
        if other is not p:
            raise CorpusError(f"{other.name} and {p.name} would be the same guide; rename one of them.")
    if not files:
        raise CorpusError(f"No guides (.txt, .md, .html) in {corpus_dir}; add at least one.")
    return files


def load_corpus(corpus_dir: Path) -> list[Guide]:
    return [load_guide(p) for p in guide_files(corpus_dir)]


def corpus_fingerprint(corpus_dir: Path) -> str:
    """A hash of every guide's name and bytes."""
    h = hashlib.sha256()
    for p in guide_files(corpus_dir):
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


# --------------------------------------------------------------------------- chunks

MAX_CHUNK_WORDS = 400


def _pack(lines: list[str]) -> Iterator[list[str]]:
    """Group a section's lines into chunks of at most ~MAX_CHUNK_WORDS words (lists stay whole).

    Sections stay whole where they can: answers pick sentences across the whole section, and
    sentence-level vectors cover what the truncated section vector does not."""
    if sum(ln.startswith("- ") for ln in lines) >= len(lines) / 2:
        yield lines
        return
    part: list[str] = []
    words = 0
    for ln in lines:
        n = len(ln.split())
        if part and words + n > MAX_CHUNK_WORDS:
            yield part
            part, words = [], 0
        part.append(ln)
        words += n
    if part:
        yield part


def chunk_guide(guide: Guide) -> list[Chunk]:
    """Chunks with ids that stay the same as long as the section path and part do."""
    chunks: list[Chunk] = []
    for section in guide.sections:
        for part, lines in enumerate(_pack(section.text.split("\n"))):
            key = f"{guide.slug}\0{section.name}\0{part}"
            cid = f"{guide.slug}-{hashlib.sha1(key.encode()).hexdigest()[:12]}"
            chunks.append(
                Chunk(cid, guide.title, guide.slug, section.name, section.kind, "\n".join(lines), len(chunks))
            )
    return chunks


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")
_ABBREV = re.compile(r"\b(?:e\.g|i\.e|etc|vs|approx|U\.S|Dr|Mr|Ms|St)\.$")


def split_sentences(text: str) -> list[str]:
    """Sentence split that keeps "e.g." and "U.S." inside their sentence."""
    parts = _SENTENCE_END.split(text)
    out: list[str] = []
    for p in parts:
        if out and _ABBREV.search(out[-1]):
            out[-1] = f"{out[-1]} {p}"
        else:
            out.append(p)
    return [p.strip() for p in out if p.strip()]


def units_of(text: str) -> list[Unit]:
    """Split chunk text into quotable units in reading order."""
    units: list[Unit] = []
    for ln in text.split("\n"):
        if ln.startswith("- "):
            units.append(Unit(ln[2:], "item", len(units)))
        elif _LABEL_VALUE.match(ln) and len(ln) < 120:
            units.append(Unit(ln, "kv", len(units)))
        else:
            for s in split_sentences(ln):
                units.append(Unit(s, "sent", len(units)))
    return units


def iter_chunks(guides: Iterable[Guide]) -> Iterator[Chunk]:
    for guide in guides:
        yield from chunk_guide(guide)
