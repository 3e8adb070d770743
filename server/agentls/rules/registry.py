"""The rules registry: every rule's code, name, severity, message and docs in one place.

Rules are declared next to the check that emits them (``agentls.rules.<family>``);
declaring registers them here. Diagnostics, hover, ``agentls rule``, the generated
docs and the JSON Schema all read this module and :mod:`agentls.facts`.

Which files a rule checks: ``targets``, the tools that load the file
(:data:`agentls.facts.targets.TARGETS`; default Claude Code alone) and ``kinds``, the
kinds of file among them (default ``agent``). A rule runs on a file when both hold: a
rule written from Claude Code's behaviour never reports on a Gemini CLI or Copilot file
that shares the kind name ``agent``. A rule for another tool names it
(``targets=(GEMINI,)``); a rule true of every tool's frontmatter names them all
(``targets=ALL_TARGETS``). Each kind must be one some named target loads.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable

from agentls.core.text import Span
from agentls.facts.targets import CLAUDE_CODE, TARGETS

if TYPE_CHECKING:
    from agentls.core.document import Document
    from agentls.rules.lint import Context

DOCS_URL = "https://github.com/agentls/agentls/blob/main/docs/rules.md#{anchor}"

# Rule tags (``Rule.tags``): what a rule's findings are, for clients that render them apart.
# ``deprecated``: the finding is about an old or deprecated spelling (an LSP client strikes
# it through: ``DiagnosticTag.Deprecated``).
DEPRECATED = "deprecated"
TAGS = frozenset({DEPRECATED})


class Severity(enum.IntEnum):
    """Ordered like LSP's ``DiagnosticSeverity`` (1 is the most severe)."""

    ERROR = 1
    WARNING = 2
    INFO = 3
    HINT = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> "Severity":
        aliases = {"information": "info", "warn": "warning", "err": "error"}
        key = aliases.get(value.strip().lower(), value.strip().lower())
        try:
            return cls[key.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r} (use error, warning, info or hint)") from None


@dataclass(frozen=True, slots=True)
class Edit:
    span: Span
    new_text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """Text edits that resolve a finding. ``safe`` fixes keep the meaning of the file."""

    title: str
    edits: tuple[Edit, ...]
    safe: bool = True


@dataclass(frozen=True, slots=True)
class Related:
    path: str
    span: Span | None
    message: str
    line: int = 0  # 0-based line in ``path``; the CLI prints it without re-reading

    def __reduce__(self):  # worker processes send these (see agentls.cli.parallel)
        return (Related, (self.path, self.span, self.message, self.line))


@dataclass(slots=True)
class Finding:
    code: str
    span: Span
    message: str
    severity: Severity
    fix: Fix | None = None
    related: tuple[Related, ...] = ()
    related_omitted: int = 0  # related locations left out of ``related`` (too many to list)

    def __reduce__(self):
        return (Finding, (self.code, self.span, self.message, self.severity, self.fix, self.related,
                          self.related_omitted))

    @property
    def rule(self) -> "Rule":
        r = RULES.get(self.code)
        return r if r is not None else RECORDED[self.code]

    @property
    def identity(self) -> str:
        """What fingerprints (the baseline, SARIF) match on besides file, code and line: the
        message, unless the rule's message changes with other files (see ``Rule.identity``)."""
        r = RULES.get(self.code) or RECORDED.get(self.code)
        return r.identity if r is not None and r.identity else self.message


CheckFn = Callable[["Document", "Context"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str  # one line: what is wrong
    what: str  # "What it does"
    why: str  # "Why it matters"
    example: str  # a failing snippet
    how_to_fix: str  # the "Fix" section of the docs (prose; the "Use instead" snippet may follow)
    use_instead: str = ""
    source: str = ""  # where the behaviour is documented
    fixable: str | None = None  # "safe", "unsafe", "sometimes" or None
    kinds: frozenset[str] = frozenset({"agent"})
    family: str = ""
    severity_note: str = ""  # why this severity, where sources disagree
    # For rules whose messages name or count other files: what fingerprints use instead of
    # the message, so a baseline survives a run from another folder or one more such file.
    identity: str = ""
    tags: frozenset[str] = frozenset()  # from TAGS
    targets: frozenset[str] = frozenset({CLAUDE_CODE})  # the tools whose files it checks

    def applies(self, target: str, kind: str) -> bool:
        """Whether the rule checks a ``kind`` file that ``target`` loads."""
        return target in self.targets and kind in self.kinds

    @property
    def anchor(self) -> str:
        return f"{self.code.lower()}-{self.name}"

    @property
    def url(self) -> str:
        return DOCS_URL.format(anchor=self.anchor)

    def at(self, span: Span, message: str | None = None, *, severity: Severity | None = None,
           fix: Fix | None = None, related: Iterable[Related] = (), related_omitted: int = 0) -> Finding:
        return Finding(self.code, span, message or self.summary, severity or self.severity,
                       fix, tuple(related), related_omitted)


RULES: dict[str, Rule] = {}
# Rule records as the content cache kept them (:mod:`agentls.cli.cache`, which keys them,
# as its findings, by agentls' sources): what a report of cached findings reads of their
# rules without importing the rule families (issue 17). Only for codes not in RULES.
RECORDED: dict[str, Rule] = {}
RULES_BY_NAME: dict[str, Rule] = {}
CHECKS: list[tuple[CheckFn, tuple[str, ...]]] = []


def rule(code: str, name: str, severity: Severity, summary: str, *, what: str, why: str,
         example: str, how_to_fix: str, use_instead: str = "", source: str = "",
         fixable: str | None = None, kinds: Iterable[str] = ("agent",), family: str = "",
         severity_note: str = "", identity: str = "", tags: Iterable[str] = (),
         targets: Iterable[str] = (CLAUDE_CODE,)) -> Rule:
    if code in RULES:
        raise ValueError(f"rule code {code} declared twice")
    if name in RULES_BY_NAME:
        raise ValueError(f"rule name {name} declared twice")
    targets = tuple(targets)
    if not targets or not set(targets) <= set(TARGETS):
        raise ValueError(f"rule {code}: unknown targets {sorted(set(targets) - set(TARGETS))} "
                         f"(known: {sorted(TARGETS)})")
    known = {k for t in targets for k in TARGETS[t].kinds}
    if not set(kinds) <= known:
        raise ValueError(f"rule {code}: unknown kinds {sorted(set(kinds) - known)} (known: {sorted(known)})")
    if not set(tags) <= TAGS:
        raise ValueError(f"rule {code}: unknown tags {sorted(set(tags) - TAGS)} (known: {sorted(TAGS)})")
    r = Rule(code, name, severity, summary, _dedent(what), _dedent(why), _dedent(example),
             _dedent(how_to_fix), _dedent(use_instead), source, fixable, frozenset(kinds), family,
             _dedent(severity_note), identity, frozenset(tags), frozenset(targets))
    RULES[code] = r
    RULES_BY_NAME[name] = r
    return r


def check(*rules: Rule) -> Callable[[CheckFn], CheckFn]:
    """Register a check function that emits findings for ``rules``."""

    def decorate(fn: CheckFn) -> CheckFn:
        CHECKS.append((fn, tuple(r.code for r in rules)))
        return fn

    return decorate


def find_rule(code_or_name: str) -> Rule | None:
    """The registered rule with this code or name. The registry imports no rule family:
    every rule is registered once :mod:`agentls.rules` is imported, which
    :mod:`agentls.rules.ruleset` (``lookup``, ``all_rules``) and the runner do."""
    key = code_or_name.strip()
    return RULES.get(key.upper()) or RULES_BY_NAME.get(key.lower())


def _dedent(text: str) -> str:
    import textwrap

    return textwrap.dedent(text).strip("\n")


@dataclass
class RuleSettings:
    """Which rules run and at what severity; built from config files and LSP settings."""

    disabled: set[str] = field(default_factory=set)
    severities: dict[str, Severity] = field(default_factory=dict)

    def enabled(self, code: str) -> bool:
        return code not in self.disabled

    def severity(self, finding: Finding) -> Severity:
        return self.severities.get(finding.code, finding.severity)
