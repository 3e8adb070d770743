"""Bytes and characters: CRLF, BOM, mojibake, control characters, bytes that are not UTF-8."""

from __future__ import annotations

import re

from agentls.core.document import Document
from agentls.core.text import Span
from agentls.facts import KINDS
from agentls.rules._util import first_line_span
from agentls.rules.context import Context
from agentls.rules.registry import Edit, Fix, Severity, check, rule

F = "encoding"

CRLF = rule(
    "AGT500", "crlf-line-endings", Severity.WARNING,
    "Windows (CRLF) line endings",
    what="Finds `\\r\\n` (or bare `\\r`) line endings.",
    why="""
        GitHub Copilot CLI fails on CRLF frontmatter, and Claude Code skips an agent whose
        YAML only its second reading accepts (a one-line description containing `: `,
        `tools: *`): that reading splits the frontmatter on `\\n` and quotes the lines
        matching `/^([a-zA-Z_-]+):\\s+(.+)$/`, and JavaScript's `.` matches no `\\r`, so
        with CRLF no line is quoted and the YAML stays invalid. LF works everywhere.""",
    example="---\\r\\nname: code-reviewer\\r\\n",
    how_to_fix="Convert the file to LF line endings (and set `*.md text eol=lf` in `.gitattributes`).",
    source=("anthropics/claude-code#80890; github/copilot-cli#694; Claude Code `src/utils/frontmatterParser.ts` "
            "(`quoteProblematicValues`)"), fixable="safe", kinds=KINDS, family=F,
    severity_note="""
        An error when the frontmatter needs Claude Code's second reading, which CRLF defeats:
        converted to LF, Claude Code would load it.""",
)

BOM = rule(
    "AGT501", "byte-order-mark", Severity.WARNING,
    "File starts with a byte-order mark",
    what="Finds a UTF-8 byte-order mark (U+FEFF) before the frontmatter.",
    why="""
        Claude Code finds the frontmatter only at the very start of the file
        (`/^---\\s*\\n/`). Before v2.1.239 a BOM came first and it silently ignored such agents,
        skills and commands; since v2.1.239 it reads them (agentls reads the frontmatter after
        the BOM, as it does). Older Claude Code versions and other tools that match `---` at
        byte 0 still see no frontmatter.""",
    example="\\ufeff---",
    how_to_fix="Save the file as UTF-8 without BOM.",
    source="anthropics/claude-code#73158; changelog 2.1.239", fixable="safe", kinds=KINDS, family=F,
)

MOJIBAKE = rule(
    "AGT502", "mojibake", Severity.WARNING,
    "Mojibake: UTF-8 text decoded as Windows-1252",
    what="Finds character runs such as `â€”` or `ðŸ“‹` that are UTF-8 bytes read as Windows-1252.",
    why="The model reads the garbled characters literally; `â€”` should be an em dash and `ðŸ“‹` the 📋 emoji.",
    example="You are not just implementing featuresâ€”you are the guardian",
    how_to_fix="Replace the run with the character it encodes; the fix does this.",
    use_instead="You are not just implementing features—you are the guardian",
    fixable="safe", kinds=KINDS, family=F,
)

CONTROL = rule(
    "AGT503", "control-character", Severity.WARNING,
    "Invisible control character",
    what="Finds NUL and other control characters (other than tab and line breaks).",
    why="They are invisible in editors, break YAML parsing in the frontmatter and confuse the model in the prompt.",
    example="name: code\\x00reviewer",
    how_to_fix="Delete the character.",
    fixable="safe", kinds=KINDS, family=F,
)

INVALID_UTF8 = rule(
    "AGT504", "invalid-utf8", Severity.WARNING,
    "File is not valid UTF-8",
    what="Finds bytes that are not UTF-8, such as a file saved as Latin-1 or Windows-1252; the first one is reported.",
    why="""
        Claude Code, a Node.js program, reads agent, skill and command files as UTF-8, and
        Node.js decodes each byte that is not UTF-8 as U+FFFD `\ufffd`: the agent loads, but
        `café` written in Windows-1252 reaches the model as `caf\ufffd`, in the prompt, the
        description used for routing, or the `name`. `agentls check --fix` writes only UTF-8
        files, so it leaves such a file alone and none of its findings counts as fixable (the
        editor's quick fixes still apply to the buffer).""",
    example="description: Reviews code for qualit\\xe9  # 0xE9: `é` in Latin-1, not UTF-8",
    how_to_fix="""
        Save the file as UTF-8 (in VS Code: *Reopen with Encoding*, then *Save with
        Encoding*), or convert it: `iconv -f WINDOWS-1252 -t UTF-8 agent.md > agent.utf8.md`
        when it is Windows-1252. Which 8-bit encoding a file uses cannot be known from its
        bytes, so agentls offers no automatic fix.""",
    source="https://nodejs.org/api/buffer.html#buffers-and-character-encodings (`'utf8'`: "
           "invalid data decodes to U+FFFD)",
    kinds=KINDS, family=F,
)


def _cp1252_table() -> dict[int, str]:
    table = {}
    for b in range(0x80, 0x100):
        try:
            table[b] = bytes([b]).decode("cp1252")
        except UnicodeDecodeError:
            table[b] = chr(b)  # undefined in cp1252: decoders pass it through as C1
    return table


_TABLE = _cp1252_table()
_BACK = {ch: b for b, ch in _TABLE.items()}
_CONT = "".join(re.escape(_TABLE[b]) for b in range(0x80, 0xC0))
_MOJIBAKE = re.compile(
    rf"(?:[\u00c2-\u00df][{_CONT}]|[\u00e0-\u00ef][{_CONT}]{{2}}|[\u00f0-\u00f4][{_CONT}]{{3}})+"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")


def repair(run: str) -> str | None:
    """The text a mojibake run stands for, or None when it is not valid UTF-8."""
    try:
        return bytes(_BACK[ch] for ch in run).decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return None


@check(CRLF, BOM)
def line_endings(doc: Document, ctx: Context):
    if doc.bom:
        yield BOM.at(Span(0, 1), "File starts with a byte-order mark: Claude Code reads the frontmatter after it "
                                 "since v2.1.239, but older versions and other tools see no frontmatter",
                     fix=Fix("Remove the byte-order mark", (Edit(Span(0, 1), ""),)))
    if doc.crlf < 0:
        return
    text = doc.text
    edits = []
    count = 0
    for m in re.finditer(r"\r\n?", text):
        count += 1
        edits.append(Edit(Span(m.start(), m.start() + 1), "") if m.group() == "\r\n"
                     else Edit(Span(m.start(), m.end()), "\n"))
    fm = doc.frontmatter
    lenient = fm is not None and fm.crlf_unquoted
    span = first_line_span(doc)
    fix = Fix("Convert to LF line endings", tuple(edits))
    if lenient and ctx.kind == "agent":
        yield CRLF.at(span, "CRLF line endings with a one-line value that is invalid strict YAML: "
                            "Claude Code skips this agent (convert to LF, and quote the value)",
                      severity=Severity.ERROR, fix=fix)
    else:
        yield CRLF.at(span, f"Windows (CRLF) line endings on {count} line{'s' if count > 1 else ''}: "
                            "GitHub Copilot CLI and some Claude Code versions reject CRLF frontmatter",
                      fix=fix)


@check(MOJIBAKE)
def mojibake(doc: Document, ctx: Context):
    text = doc.text
    pos = 0
    for hit in doc.suspect_chars:  # one scan serves both character rules
        if hit < pos or text[hit] < "\u00c2":
            continue
        m = _MOJIBAKE.match(text, hit)
        if m is None:
            continue
        pos = m.end()
        fixed = repair(m.group())
        if fixed is None:
            continue
        span = Span(m.start(), m.end())
        yield MOJIBAKE.at(span, f"Mojibake `{m.group()}` (UTF-8 read as Windows-1252): should be `{fixed}`",
                          fix=Fix(f"Replace with `{fixed}`", (Edit(span, fixed),)))


@check(CONTROL)
def control_characters(doc: Document, ctx: Context):
    text = doc.text
    pos = 0
    for hit in doc.suspect_chars:  # one scan serves both character rules
        if hit < pos or text[hit] >= "\u00c2":
            continue
        m = _CONTROL.match(text, hit)
        pos = m.end()
        span = Span(m.start(), m.end())
        shown = ", ".join(f"U+{ord(c):04X}" for c in m.group()[:4])
        yield CONTROL.at(span, f"Invisible control character{'s' if len(m.group()) > 1 else ''} {shown}",
                         fix=Fix("Delete the control characters", (Edit(span, ""),)))


@check(INVALID_UTF8)
def invalid_utf8(doc: Document, ctx: Context):
    bad = doc.invalid_utf8
    if bad is None:
        return
    # The offset is the one in the text read from the file; an editor may have decoded the
    # file itself (Neovim as Latin-1), so stay inside this text.
    start = min(bad.offset, len(doc.text))
    span = Span(start, min(start + 1, len(doc.text)))
    ch = _TABLE.get(bad.byte, "")
    guess = f" (in Windows-1252, 0x{bad.byte:02X} is `{ch}`)" if ch.isprintable() and ch else ""
    more = f" and {bad.count - 1} more" if bad.count > 1 else ""
    yield INVALID_UTF8.at(span, f"Not valid UTF-8: byte 0x{bad.byte:02X} at offset {bad.byte_offset}{more}{guess}; "
                                "Claude Code reads U+FFFD `\ufffd` instead: save the file as UTF-8")
