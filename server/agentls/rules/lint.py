"""Document + context -> findings. The one entry point the CLI and the server share."""

from __future__ import annotations

from agentls.core.document import Document
from agentls.core.text import InvalidUTF8, decode_utf8
from agentls.facts.fields import FIELDS_BY_KIND, FOREIGN_AGENT_KEYS
from agentls.facts.targets import classify
from agentls.rules.context import EXTEND_KEYS, Context, Extensions, context_for  # noqa: F401  (re-exported)
from agentls.rules.directives import suppressions_of
from agentls.rules.registry import CHECKS, RULES, Finding, RuleSettings
from agentls.rules.ruleset import load_rules



def _log():
    # logging (with threading, traceback, string: ~5 ms) only for a check that failed
    import logging

    return logging.getLogger(__name__)


# Every frontmatter key some kind of file has, and the keys other tools' agents use: the
# names the document's lenient YAML reader takes for keys (``Document(known_keys=...)``).
FIELD_NAMES: frozenset[str] = frozenset(
    {key for fields in FIELDS_BY_KIND.values() for key in fields} | set(FOREIGN_AGENT_KEYS))


def parse(text: str, path: str | None = None, kind: str | None = None, *, previous: Document | None = None,
          unchanged: tuple[int, int] | None = None, invalid_utf8: InvalidUTF8 | None = None) -> Document:
    """``text`` as the checks read it: the way every layer above parses a file. ``kind``:
    default the one ``path``'s location gives, else agent; ``previous``, ``unchanged``:
    see :class:`~agentls.core.document.Document` (the server reuses the last version)."""
    if kind is None and path is not None:
        kind = classify(path)[0]
    return Document(text, path, kind or "agent", previous, unchanged, invalid_utf8, known_keys=FIELD_NAMES)


def parse_bytes(data: bytes, path: str | None = None, kind: str | None = None) -> Document:
    """A file's bytes as Claude Code reads them: UTF-8, each bad byte a U+FFFD (recorded
    in ``invalid_utf8``)."""
    text, invalid = decode_utf8(data)
    return parse(text, path, kind, invalid_utf8=invalid)


# The checks that can emit something, per (target, kind, disabled rules): computed once,
# not per file.
_CHECKS_FOR: dict[tuple[str, str, frozenset[str]], list] = {}
_NONE: frozenset[str] = frozenset()
_DEFAULT_SETTINGS = RuleSettings()  # read-only


def lint(doc: Document, ctx: Context | None = None, settings: RuleSettings | None = None) -> list[Finding]:
    """Run every check that applies to the document's kind; never raises."""
    load_rules()
    ctx = ctx or Context(kind=doc.kind or "agent")
    settings = settings or _DEFAULT_SETTINGS
    findings: list[Finding] = []
    kind, disabled, severities = str(ctx.kind), settings.disabled, settings.severities
    target = ctx.target
    key = (target, kind, frozenset(disabled) if disabled else _NONE)
    checks = _CHECKS_FOR.get(key)
    if checks is None:
        checks = [fn for fn, codes in CHECKS
                  if any(RULES[c].applies(target, kind) and settings.enabled(c) for c in codes)]
        if len(_CHECKS_FOR) < 256:
            _CHECKS_FOR[key] = checks
    for fn in checks:
        try:
            for f in fn(doc, ctx):
                code = f.code
                if code not in disabled and RULES[code].applies(target, kind):
                    if severities:
                        f.severity = severities.get(code, f.severity)
                    findings.append(f)
        except Exception:  # a bug in one check must not hide the others
            _log().exception("check %s failed on %s", fn.__name__, doc.path)
    try:  # inline suppression comments, for the CLI and the server alike
        findings = suppressions_of(doc).apply(doc, findings, ctx, settings)
    except Exception:
        _log().exception("suppressions failed on %s", doc.path)
    findings.sort(key=lambda f: (f.span.start, f.span.end, f.code))
    return findings


def lint_text(text: str, path: str | None = None, **kwargs) -> tuple[Document, list[Finding]]:
    ctx = context_for(path, **kwargs)
    doc = parse(text, path, ctx.kind)
    return doc, lint(doc, ctx)
