"""Rule selectors and severities: which rules run, and at what severity.

A selector is ``ALL``, a code prefix (``AGT``, ``AGT4``), or a rule code or name. As in
ruff, each :class:`RuleSelection` is one level: its ``select`` (when given) replaces what
the levels below enabled, ``extend-select`` adds to it and ``ignore`` removes from it,
except where a more specific selector selects a rule again (an exact code beats ``AGT4``,
which beats ``AGT`` and ``ALL``). Levels apply in order, lowest first:
:func:`rule_settings` turns a list of them into the :class:`RuleSettings` a lint takes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agentls.engine.globs import Globs
from agentls.rules.registry import RuleSettings, Severity
from agentls.rules.ruleset import all_rules, lookup

Selected = tuple[frozenset[str], int]  # the codes a selector names, and how specific it is
EXACT = 100  # the specificity of a rule code or name


def resolve_selector(selector: str) -> Selected | None:
    """The codes a selector names and how specific it is, or None if it names nothing.

    ``ALL`` (specificity 0), a code prefix such as ``AGT`` or ``AGT4`` (its length), or a
    rule code or name (most specific).
    """
    s = selector.strip()
    if not s:
        return None
    if s.upper() == "ALL":
        return frozenset(r.code for r in all_rules()), 0
    rule = lookup(s)
    if rule is not None:
        return frozenset({rule.code}), EXACT
    prefix = s.upper()
    if re.fullmatch(r"[A-Z]+[0-9]*", prefix):
        codes = frozenset(r.code for r in all_rules() if r.code.startswith(prefix))
        if codes:
            return codes, len(prefix)
    return None


@dataclass(frozen=True)
class RuleSelection:
    """One level of selection: a configuration's, an override's, the command line's or
    the editor's. ``files``: only for paths these globs match (an override)."""

    select: tuple[Selected, ...] | None = None  # None: keep what the level below has
    extend_select: tuple[Selected, ...] = ()
    ignore: tuple[Selected, ...] = ()
    # (codes, specificity, severity); severity None: back to the rule's own
    severity: tuple[tuple[frozenset[str], int, Severity | None], ...] = ()
    files: Globs | None = None

    def applies_to(self, path) -> bool:
        return self.files is None or self.files.matches(path)

    def apply(self, enabled: set[str]) -> set[str]:
        on: dict[str, int] = {c: 0 for c in enabled} if self.select is None else {}
        for codes, spec in (self.select or ()) + self.extend_select:
            for c in codes:
                on[c] = max(on.get(c, -1), spec)
        off: dict[str, int] = {}
        for codes, spec in self.ignore:
            for c in codes:
                off[c] = max(off.get(c, -1), spec)
        return {c for c, spec in on.items() if spec > off.get(c, -1)}

    def apply_severity(self, severities: dict[str, Severity]) -> None:
        for codes, _spec, sev in sorted(self.severity, key=lambda item: item[1]):
            for c in codes:
                if sev is None:
                    severities.pop(c, None)
                else:
                    severities[c] = sev


def rule_settings(levels) -> RuleSettings:
    """The rules that run and their severities after ``levels``, lowest first."""
    codes = {r.code for r in all_rules()}
    enabled = set(codes)
    severities: dict[str, Severity] = {}
    for level in levels:
        enabled = level.apply(enabled)
        level.apply_severity(severities)
    return RuleSettings(disabled=codes - enabled, severities=severities)


# Letters typed for digits in a rule code: AGT4OO is AGT400.
_DIGIT_LOOKALIKES = str.maketrans("OILS", "0115")


def did_you_mean_rule(item: str) -> str:
    """`` (did you mean 'AGT400'?)`` for a selector that names no rule, or a pointer to the list."""
    rules = all_rules()
    codes = [r.code for r in rules]
    m = re.fullmatch(r"(?i)agt([0-9oils]{1,3})", item.strip())
    if m:
        code = "AGT" + m.group(1).upper().translate(_DIGIT_LOOKALIKES)
        if code != item and any(c.startswith(code) for c in codes):
            return f" (did you mean {code!r}?)"
    # The closest code or name, but only if no other is as close: AGT499 is as close to
    # every AGT4xx code, and naming one of them would be a guess.
    import difflib  # only for a did-you-mean

    scores = []
    for name in codes + [r.name for r in rules]:
        matcher = difflib.SequenceMatcher(None, item, name)
        if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
            scores.append((matcher.ratio(), name))
    scores.sort(reverse=True)
    if scores and scores[0][0] >= 0.6 and (len(scores) == 1 or scores[1][0] < scores[0][0]):
        return f" (did you mean {scores[0][1]!r}?)"
    return " (see `agentls rule --all`)"
