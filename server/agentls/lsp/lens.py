"""``textDocument/codeLens``: thin glue around :func:`agentls.services.lens.lenses`.

The routing-budget lens needs only the workspace index (the sum over every agent is
cached per index version), and so does "hard to tell from X" (a
:class:`~agentls.services.routing.RoutingModel` kept in step with the index's agents;
the threshold is the file's resolved settings: the editor's ``routingThreshold`` and the
configuration file's ``routing-threshold``, layered as ``configurationPreference`` says,
else 0.6). "Used by N" needs the reference index of
:mod:`agentls.lsp.navigation`: until its first build (started in the background when the
start-up scan ends, or by the first lens request) is done, that lens is left out, and clients that support it are then
asked to refresh their lenses (``workspace/codeLens/refresh``). The lenses carry a
command with an empty id: shown, not clickable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from agentls.lsp.handlers import guarded, log, norm_path
from agentls.lsp.navigation import kind_of, state_of

# The services are imported at the first code-lens request, not at start-up.
if TYPE_CHECKING:
    from agentls.lsp.server import AgentLanguageServer
    from agentls.services.routing import Pair


class LensState:
    def __init__(self) -> None:
        from agentls.services.routing import RoutingModel

        self.asked_refresh = False
        self.routing = RoutingModel()
        self._records: dict[str, object] = {}  # path -> the index record the model has
        self._routing_key: object = None

    def alike(self, ls: "AgentLanguageServer", path: str | None, threshold: float | None = None) -> Pair | None:
        """The agent most like the one at ``path``, if at least as alike as ``threshold``
        (the file's resolved ``routing-threshold``; None: the default)."""
        if path is None:
            return None
        key = (getattr(ls.index, "version", None), ls.index_generation)
        if key != self._routing_key or key[0] is None:
            seen = set()
            for agent in ls.index.agents:
                seen.add(agent.path)
                if self._records.get(agent.path) is not agent:
                    self._records[agent.path] = agent
                    self.routing.update(agent.path, agent.name, agent.description)
            for gone in [p for p in self._records if p not in seen]:
                del self._records[gone]
                self.routing.remove(gone)
            self._routing_key = key
        from agentls.services.routing import DEFAULT_THRESHOLD

        best = self.routing.most_like(path)
        threshold = threshold or DEFAULT_THRESHOLD
        return best if best is not None and best.score >= threshold else None

def loaded_tokens(ls: "AgentLanguageServer", path: str | None) -> int | None:
    """The tokens of the agents Claude Code loads with this one, grouped as AGT710 groups
    them (:func:`agentls.rules.budget.share`), or ``None`` when it is not indexed."""
    from agentls.rules.budget import share

    found = share(ls.index, path) if path else None
    return found[1].total if found is not None else None


def lens_state(ls: "AgentLanguageServer") -> LensState:
    return ls.feature_state("lens.state", LensState)


def refresh_support(ls: "AgentLanguageServer") -> bool:
    caps = ls.client_capabilities
    ws = caps.workspace if caps is not None else None
    cl = ws.code_lens if ws is not None else None
    return bool(cl is not None and cl.refresh_support)


def used_by(ls: "AgentLanguageServer", doc, path: str | None, kind: str | None) -> dict[str, int] | None:
    from agentls.services.navigation import Target, definition_of

    nav = state_of(ls)
    if not nav.ready:
        if refresh_support(ls) and not lens_state(ls).asked_refresh:
            lens_state(ls).asked_refresh = True
            nav.on_ready.append(lambda: _ask_refresh(ls))
        nav.warm(ls)
        return None
    d = definition_of(doc, path, kind)
    if d is None:
        return None
    nav.refresh(ls)
    target = Target("slash" if d.kind == "command" else d.kind, d.name, d.span or doc.body)
    counts: dict[str, int] = {}
    for other in {p for p, _ in nav.refs.referencing(target)}:
        if other == path:
            continue
        k = kind_of(other) or "other"
        counts[k] = counts.get(k, 0) + 1
    return counts


def _ask_refresh(ls: "AgentLanguageServer") -> None:
    try:
        ls.workspace_code_lens_refresh(None)
    except Exception as exc:  # the client may refuse; the lenses come with the next request
        log.info("workspace/codeLens/refresh failed: %s", exc)


def register(server: "AgentLanguageServer") -> None:
    @server.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))
    @guarded()
    async def code_lens(ls: "AgentLanguageServer", params: types.CodeLensParams):
        from agentls.services.lens import lenses

        await ls.wait_for_scan()
        got = ls.get_document(params.text_document.uri)
        if got is None:
            return None
        _td, doc, ctx = got
        path = norm_path(ctx.path) if ctx.path else None
        kind = str(ctx.kind) if ctx.kind is not None else None
        state = lens_state(ls)
        agent = kind == "agent"
        settings = ls.file_settings(params.text_document.uri) if agent else None
        threshold = settings.routing_threshold if settings is not None else None
        found = lenses(doc, kind, workspace_tokens=loaded_tokens(ls, path) if agent else None,
                       used_by=used_by(ls, doc, path, kind),
                       alike=state.alike(ls, path, threshold) if agent else None)
        return [types.CodeLens(range=ls.to_range(doc, lens.span), command=types.Command(title=lens.title, command=""))
                for lens in found]
