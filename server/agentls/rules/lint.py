"""Document + context -> findings. The one entry point the CLI and the server share."""

from __future__ import annotations

import logging

from agentls.core.document import Document
from agentls.core.paths import classify
from agentls.rules.context import EXTEND_KEYS, Context, Extensions, context_for  # noqa: F401  (re-exported)
from agentls.rules.directives import suppressions_of
from agentls.rules.registry import CHECKS, RULES, Finding, RuleSettings
from agentls.rules.ruleset import load_rules

log = logging.getLogger(__name__)


def parse(text: str, path: str | None = None, kind: str | None = None) -> Document:
    if kind is None and path is not None:
        kind = classify(path)[0]
    return Document(text, path, kind or "agent")


# The checks that can emit something, per (kind, disabled rules): computed once, not per file.
_CHECKS_FOR: dict[tuple[str, frozenset[str]], list] = {}
_NONE: frozenset[str] = frozenset()
_DEFAULT_SETTINGS = RuleSettings()  # read-only


def lint(doc: Document, ctx: Context | None = None, settings: RuleSettings | None = None) -> list[Finding]:
    """Run every check that applies to the document's kind; never raises."""
    load_rules()
    ctx = ctx or Context(kind=doc.kind or "agent")
    settings = settings or _DEFAULT_SETTINGS
    findings: list[Finding] = []
    kind, disabled, severities = ctx.kind, settings.disabled, settings.severities
    key = (kind, frozenset(disabled) if disabled else _NONE)
    checks = _CHECKS_FOR.get(key)
    if checks is None:
        checks = [fn for fn, codes in CHECKS
                  if any(kind in RULES[c].kinds and settings.enabled(c) for c in codes)]
        if len(_CHECKS_FOR) < 256:
            _CHECKS_FOR[key] = checks
    for fn in checks:
        try:
            for f in fn(doc, ctx):
                code = f.code
                if code not in disabled and kind in RULES[code].kinds:
                    if severities:
                        f.severity = severities.get(code, f.severity)
                    findings.append(f)
        except Exception:  # a bug in one check must not hide the others
            log.exception("check %s failed on %s", fn.__name__, doc.path)
    try:  # inline suppression comments, for the CLI and the server alike
        findings = suppressions_of(doc).apply(doc, findings, ctx, settings)
    except Exception:
        log.exception("suppressions failed on %s", doc.path)
    findings.sort(key=lambda f: (f.span.start, f.span.end, f.code))
    return findings


def lint_text(text: str, path: str | None = None, **kwargs) -> tuple[Document, list[Finding]]:
    ctx = context_for(path, **kwargs)
    doc = Document(text, path, ctx.kind)
    return doc, lint(doc, ctx)
