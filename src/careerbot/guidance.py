"""Writing a personal career plan from what a person said, built only from a guide's facts.

``make_plan`` reads the person (``careerbot.profile.read_profile``), places them on the
guide's ladder and writes a short Markdown plan in which every statement cites the guide
section it comes from with an ``[n]`` marker; ``make_steps_plan`` does the same for a guide
without a ladder. Rules only, no model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .answer import Source, join_words
from .facts import GuideFacts, SalaryLevel, Tier
from .ingest import PATH_SEP, split_sentences

# The profile readers stay importable from here: callers (the engine) import them from this
# module, where they lived before the split.
from .profile import (
    GENERIC_STEMS,
    Profile,
    asked_tier,
    asks_for_plan,
    format_years,
    looks_personal,
    read_profile,
    skill_stems,
    tier_index,
)

__all__ = [
    "TELL_YEARS",
    "CareerPlan",
    "Profile",
    "asked_tier",
    "asks_for_plan",
    "looks_personal",
    "make_plan",
    "make_steps_plan",
    "read_profile",
]

TELL_YEARS = "Tell me roughly how many years of experience you have and I can place you on the ladder"


@dataclass(frozen=True)
class CareerPlan:
    """A plan: where the person stands, what comes next, and the cited Markdown text.

    ``salary`` holds the figures the text quotes: the current tier's and the next tier's
    (just the current one at the top of the ladder; the ladder's lowest and highest figure
    when the years are unknown). ``steps`` are the action bullets of ``text``, markers kept.
    """

    tier: Tier | None
    next_tier: Tier | None
    steps: tuple[str, ...]
    skill_gaps: tuple[str, ...]
    certifications: tuple[str, ...]
    salary: tuple[SalaryLevel, ...]
    sources: tuple[Source, ...]
    text: str
    needs_years: bool
    profile: Profile


# --------------------------------------------------------------------------- plan helpers


def _tier_salaries(facts: GuideFacts) -> dict[int, SalaryLevel]:
    """Salary figure per tier index: Entry, Mid, Senior by position; the top tier the best rest."""
    levels = [
        s for s in facts.salary if not re.search(r"median|average|mean|range|bottom|lower|low", s.label, re.I)
    ]
    by_tier: dict[int, SalaryLevel] = {}
    keys = (r"entry|junior|starting|begin", r"\bmid", r"senior")
    for i, key in enumerate(keys[: len(facts.tiers)]):
        level = next((s for s in levels if re.search(key, s.label, re.I)), None)
        if level is not None:
            by_tier[i] = level
    top = len(facts.tiers) - 1
    if top >= len(keys):
        used = {s.label for s in by_tier.values()}
        floor = max((s.amount for s in by_tier.values()), default=0)
        rest = [s for s in levels if s.label not in used and s.amount >= floor]
        if rest:
            by_tier[top] = max(rest, key=lambda s: s.amount)
    return by_tier


def _group_kind(name: str) -> str:
    if re.search(r"found|basic|core|essential|fundament|entry|begin", name, re.I):
        return "foundational"
    if re.search(r"lead|manag|professional|soft|people|interpersonal|business", name, re.I):
        return "leadership"
    return "technical"


def _skill_groups(facts: GuideFacts) -> list[tuple[str, str, tuple[str, ...]]]:
    """(kind, section, items) of the skill map, else the tech and soft skill lists."""
    if facts.skill_map:
        first = facts.sources.get("skill_map", "")
        parts = first.split(PATH_SEP)
        parent = PATH_SEP.join(parts[:-1]) if len(parts) > 1 else ""
        return [
            (_group_kind(name), f"{parent}{PATH_SEP}{name}" if parent else name, items)
            for name, items in facts.skill_map.items()
        ]
    out = []
    if facts.tech_skills:
        out.append(("technical", facts.sources.get("tech_skills", ""), facts.tech_skills))
    if facts.soft_skills:
        out.append(("leadership", facts.sources.get("soft_skills", ""), facts.soft_skills))
    return out


def _gap_order(beginner: bool, leads: bool, senior: bool) -> tuple[str, ...]:
    if beginner:
        return (
            ("foundational", "leadership", "technical")
            if leads
            else ("foundational", "technical", "leadership")
        )
    if leads or senior:
        return ("leadership", "technical", "foundational")
    return ("technical", "leadership", "foundational")


def _dist(value: float) -> str:
    if value < 0.75:
        return "under a year"
    value = round(value * 2) / 2
    return f"about {value:g} year" + ("" if value == 1 else "s")


class _Citations:
    """Numbered sources in order of first use; the same section and quote share a number."""

    def __init__(self, guide: str) -> None:
        self.guide = guide
        self.sources: list[Source] = []

    def cite(self, section: str, quote: str) -> str:
        for i, s in enumerate(self.sources, 1):
            if s.section == section and s.text == quote:
                return f"[{i}]"
        self.sources.append(Source(section, self.guide, quote, 1.0, ""))
        return f"[{len(self.sources)}]"


def _tier_quote(tier: Tier, with_summary: bool) -> str:
    """The tier's own words: its years ("2-5 years") and, when the text uses it, its summary."""
    return f"{tier.years}\n{tier.summary}" if with_summary and tier.summary else tier.years


def _pick_mistakes(facts: GuideFacts, focus: str, n: int = 2) -> list[str]:
    """The ``n`` mistakes closest to what the plan is about, in the guide's order."""

    def stems(text: str) -> set[str]:
        return set(skill_stems(re.sub(r"\blead(?:s|ing)? to\b", " ", text, flags=re.I))) - GENERIC_STEMS

    want = stems(focus)
    scored = sorted(range(len(facts.mistakes)), key=lambda i: (-len(stems(facts.mistakes[i]) & want), i))
    return [facts.mistakes[i] for i in sorted(scored[:n])]


# --------------------------------------------------------------------------- public: plan


def make_plan(profile_text: str, facts: GuideFacts) -> CareerPlan:
    """A short cited plan for the person ``profile_text`` describes, from ``facts`` alone."""
    profile = read_profile(profile_text, facts)
    cites = _Citations(facts.guide)
    tiers = facts.tiers
    years = profile.years
    idx = tier_index(tiers, years) if years is not None else None
    tier = tiers[idx] if idx is not None else None
    next_tier = tiers[idx + 1] if idx is not None and idx + 1 < len(tiers) else None
    top = tiers[-1] if tiers else None
    leads = "lead" in profile.aims or "management" in profile.aims
    pay = _tier_salaries(facts)
    salary_src = facts.sources.get("salary", "")

    lines: list[str] = []
    steps: list[str] = []
    salary: tuple[SalaryLevel, ...] = ()

    # Where the person stands ------------------------------------------------------------
    if tier is not None and years is not None:
        said = "Starting out" if years == 0 else f"With about {format_years(years)}"
        where = "at the top of the guide's ladder: " if next_tier is None else "at "
        marker = cites.cite(tier.section, _tier_quote(tier, False))
        lines.append(f"{said}, you're {where}**{tier.name}** ({tier.years}) {marker}.")
    elif tiers:
        note = ""
        conflicts = [c for c in profile.contradictions if not c.startswith("both having")]
        if conflicts:
            note = f" (you mentioned {'; '.join(conflicts)}, so I won't guess)"
        ladder = " → ".join(
            f"{t.name} ({t.years}) {cites.cite(t.section, _tier_quote(t, False))}" for t in tiers
        )
        lines.append(f"{TELL_YEARS}{note}: {ladder}.")
    elif years is None:
        lines.append(f"{TELL_YEARS}.")
    else:  # nothing in the guide to cite: say so rather than invent a ladder
        said = format_years(years)
        lines.append(f"The guide gives no career ladder with years, so I can't place you ({said}) on one.")

    # Pay --------------------------------------------------------------------------------
    if idx is not None:
        now, then = pay.get(idx), pay.get(idx + 1) if next_tier is not None else None
        if now and then:
            salary = (now, then)
            quote = f"{now.label}: {now.text}\n{then.label}: {then.text}"
            lines.append(
                f"**Pay:** {now.label} {now.text} now → {then.label} {then.text} at the next tier "
                f"{cites.cite(salary_src, quote)}."
            )
        elif now:
            salary = (now,)
            lines.append(
                f"**Pay:** {now.label} {now.text} {cites.cite(salary_src, f'{now.label}: {now.text}')}."
            )
        elif then:
            salary = (then,)
            lines.append(
                f"**Pay at the next tier:** {then.label} {then.text} "
                f"{cites.cite(salary_src, f'{then.label}: {then.text}')}."
            )
    elif pay:
        ordered = [pay[i] for i in sorted(pay)]
        low, high = ordered[0], ordered[-1]
        salary = (low, high) if low != high else (low,)
        quote = "\n".join(dict.fromkeys(f"{s.label}: {s.text}" for s in salary))
        span = (
            f"from {low.label} {low.text} to {high.label} {high.text}"
            if low != high
            else f"{low.label} {low.text}"
        )
        lines.append(f"**Pay** on the ladder runs {span} {cites.cite(salary_src, quote)}.")

    # Next steps -------------------------------------------------------------------------
    if next_tier is not None and years is not None and next_tier.min_years is not None:
        what = f": {next_tier.summary.rstrip('.')}" if next_tier.summary else ""
        steps.append(
            f"Grow into **{next_tier.name}** ({next_tier.years}), {_dist(next_tier.min_years - years)} away"
            f"{what} {cites.cite(next_tier.section, _tier_quote(next_tier, True))}"
        )
    lead_tier = next(
        (t for t in tiers if re.search(r"lead|supervis|manag|head|chief|principal", t.name, re.I)), top
    )
    top_cited = tier is None or next_tier is top  # the top tier is already named with its years
    if leads and lead_tier is not None and lead_tier not in (tier, next_tier):
        away = ""
        if years is not None and lead_tier.min_years is not None:
            away = f", {_dist(lead_tier.min_years - years)} from now"
        marker = cites.cite(lead_tier.section, _tier_quote(lead_tier, False))
        if "lead" in profile.aims or lead_tier is not top:
            steps.append(
                f"Leading a team is the **{lead_tier.name}** tier at {lead_tier.years}{away} {marker}"
            )
        else:
            steps.append(
                f"Management roles come after **{lead_tier.name}** ({lead_tier.years}){away} {marker}"
            )
        top_cited = top_cited or lead_tier is top

    beginner = (idx == 0) or (years is not None and years < 1) or (years is None and not leads)
    senior = idx is not None and idx >= max(len(tiers) - 2, 1)
    order = _gap_order(beginner, leads, senior)
    groups = sorted(_skill_groups(facts), key=lambda g: order.index(g[0]))
    had = set(profile.skills)
    gaps: list[tuple[str, str]] = [
        (item, section) for _, section, items in groups for item in items if item not in had
    ]
    shown = gaps[:3]
    if shown:
        parts: list[str] = []
        for section in dict.fromkeys(s for _, s in shown):
            names = [i for i, s in shown if s == section]
            parts.append(f"{join_words(names)} {cites.cite(section, chr(10).join(names))}")
        aside = ""
        doubtful = [c for c in profile.contradictions if c.startswith("both having")]
        if doubtful:
            aside = f"(You mentioned {'; '.join(doubtful)}, so it counts as a gap.) "
        steps.append(f"{aside}Build {'; '.join(parts)}")
    held = set(profile.certifications)
    certs = tuple(c for c in facts.certifications if c not in held)
    if certs:
        listed = list(certs[:5])
        steps.append(
            f"Certifications the guide recommends: {join_words(listed, 'or')} "
            f"{cites.cite(facts.sources.get('certifications', ''), chr(10).join(listed))}"
        )
    if steps:
        lines.append("**Next steps**\n" + "\n".join(f"- {s}." for s in steps))

    # Mistakes ---------------------------------------------------------------------------
    if facts.mistakes:
        focus = " ".join([i for i, _ in shown] + ([next_tier.summary] if next_tier else []))
        picked = _pick_mistakes(facts, focus)
        marker = cites.cite(facts.sources.get("mistakes", ""), "\n".join(picked))
        lines.append("**Avoid**\n" + "\n".join(f"- {m.rstrip('.')} {marker}." for m in picked))

    # Beyond the ladder ------------------------------------------------------------------
    if facts.progression_roles and top is not None:
        roles = list(facts.progression_roles)
        roles_src = facts.sources.get("progression_roles", "")
        if tier is top or top_cited:
            roles_marker = cites.cite(roles_src, "\n".join(roles))
            lines.append(f"Beyond **{top.name}**, the guide names {join_words(roles, 'or')} {roles_marker}.")
        else:
            top_marker = cites.cite(top.section, _tier_quote(top, False))
            roles_marker = cites.cite(roles_src, "\n".join(roles))
            lines.append(
                f"The ladder tops out at **{top.name}** ({top.years}) {top_marker}; "
                f"beyond it the guide names {join_words(roles, 'or')} {roles_marker}."
            )

    return CareerPlan(
        tier=tier,
        next_tier=next_tier,
        steps=tuple(steps),
        skill_gaps=tuple(i for i, _ in gaps),
        certifications=certs,
        salary=salary,
        sources=tuple(cites.sources),
        text="\n\n".join(lines),
        needs_years=years is None,
        profile=profile,
    )


# --------------------------------------------------------------------------- plans without a ladder

# Sections that say how to get in and move up, in the order a plan walks them.
_STEP_SECTIONS = (
    ("Get the education", re.compile(r"\beducation\b|how to become|required education|path to", re.I)),
    ("Train on the job", re.compile(r"\btraining\b|apprentice", re.I)),
    ("Get licensed or certified", re.compile(r"licens|certif|registration", re.I)),
    ("Build the qualities employers look for", re.compile(r"important qualities|skills|qualities", re.I)),
    ("Move up", re.compile(r"advancement|career path|progress", re.I)),
)


def make_steps_plan(profile_text: str, guide: str, sections: Iterable[tuple[str, str]]) -> CareerPlan:
    """A cited plan for a guide without a career ladder (a BLS page): one step per section that
    says how to get in and move up, each quoting that section's opening sentence."""
    cites = _Citations(guide)
    steps: list[str] = []
    used: set[str] = set()
    pairs = list(sections)
    for label, pattern in _STEP_SECTIONS:
        for name, text in pairs:
            last = name.split(PATH_SEP)[-1]
            if name in used or not pattern.search(last) or name.split(PATH_SEP)[0].lower() == "summary":
                continue
            lines = [ln[2:] if ln.startswith("- ") else ln for ln in text.split("\n") if ln.strip()]
            sentences = split_sentences(lines[0]) if lines else []
            if not sentences:
                continue
            quote = sentences[0]
            used.add(name)
            steps.append(f"- **{label}:** {quote} {cites.cite(name, quote)}")
            break
    if not steps:
        text = f"{guide} has no sections on getting in or moving up, so I can't make a plan from it."
    else:
        text = "**Steps from the guide**\n" + "\n".join(steps)
    profile = read_profile(profile_text, GuideFacts(guide=guide))
    return CareerPlan(None, None, tuple(steps), (), (), (), tuple(cites.sources), text, False, profile)
