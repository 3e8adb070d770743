"""Renaming an agent or a skill: its ``name`` and every reference, as one set of edits.

Pure: the caller finds the definitions and references (:mod:`agentls.services.navigation`)
and says whether the new name is taken; :func:`plan` returns the edits per file, or a
:class:`RenameRefused` with the reason. A rename is all or nothing: if one site cannot be
edited exactly (a name spelled with YAML escapes, a skill named by its folder), it is
refused rather than left half done.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agentls.core.text import Span
from agentls.rules.index import normal_name
from agentls.services.navigation import Ref, Target

VALID_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_NAME = 64
RENAMABLE = ("agent", "skill")


class RenameRefused(Exception):
    """Why a rename cannot be done (shown to the user as it is)."""


@dataclass(frozen=True, slots=True)
class Edit:
    span: Span
    new_text: str


def renamable(target: Target | None) -> Target:
    """``target`` if it may be renamed (an agent or skill, or ``/name`` of a skill), else refused."""
    if target is None:
        raise RenameRefused("Nothing to rename here: put the cursor on an agent's or skill's name")
    if target.kind not in RENAMABLE and target.kind != "slash":
        raise RenameRefused(f"Only agents and skills can be renamed, not a {target.kind}")
    if target.ref is not None and not target.ref.exact:
        raise RenameRefused("This name is not spelled literally here (YAML escapes); rename it at its definition")
    return target


def check_name(new_name: str, old_name: str, kind: str, taken: bool) -> None:
    """Refuse an invalid new name, or one another agent or skill already has."""
    if not new_name:
        raise RenameRefused("The new name is empty")
    if len(new_name) > MAX_NAME:
        raise RenameRefused(f"`{new_name}` is longer than {MAX_NAME} characters")
    if not VALID_NAME.fullmatch(new_name):
        raise RenameRefused(
            f"`{new_name}` is not a valid {kind} name: use lowercase letters, digits and hyphens "
            "(e.g. `code-reviewer`)")
    same = normal_name(new_name) == normal_name(old_name) if kind == "agent" else new_name == old_name
    if taken and not same:
        raise RenameRefused(f"An {kind} named `{new_name}` already exists" if kind == "agent"
                            else f"A {kind} named `{new_name}` already exists")


def plan(kind: str, old_name: str, new_name: str, definitions: list[tuple[str, Span | None]],
         references: list[tuple[str, Ref]], taken: bool) -> dict[str, list[Edit]]:
    """The edits of renaming the ``kind`` ``old_name`` to ``new_name``: each definition's
    name value and each reference, by path, sorted, without overlaps."""
    check_name(new_name, old_name, kind, taken)
    if not definitions:
        raise RenameRefused(f"No {kind} named `{old_name}` is defined in the workspace")
    edits: dict[str, list[Edit]] = {}
    for path, span in definitions:
        if span is None:
            where = "its folder's name" if kind == "skill" else "a value with YAML escapes"
            raise RenameRefused(f"The {kind} `{old_name}` in {path} is named by {where}; rename it there by hand")
        edits.setdefault(path, []).append(Edit(span, new_name))
    for path, ref in references:
        if not ref.exact:
            raise RenameRefused(f"A reference to `{old_name}` in {path} is not spelled literally; "
                                "rename it by hand first")
        edits.setdefault(path, []).append(Edit(ref.span, new_name))
    for path, items in edits.items():
        items.sort(key=lambda e: (e.span.start, e.span.end))
        kept: list[Edit] = []
        for e in items:
            if kept and e.span.start < kept[-1].span.end:
                continue  # the same name found twice (a definition that is also a mention)
            kept.append(e)
        edits[path] = kept
    return edits
