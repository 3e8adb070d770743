"""The command line's settings: ``--select``/``--extend-select``/``--ignore`` as one layer
over each file's configuration, and ``--config FILE`` forcing one configuration."""

from __future__ import annotations

from agentls.engine.config import ConfigSet
from agentls.engine.selectors import RuleSelection, Selected, resolve_selector
from agentls.engine.settings import Settings


def cli_layer(select: list[str] | None = None, extend_select: list[str] | None = None,
              ignore: list[str] | None = None) -> Settings | None:
    """``--select``/``--extend-select``/``--ignore`` (comma-separated, repeatable) as a layer.

    Raises ``ValueError`` naming an unknown rule or prefix.
    """
    if not (select or extend_select or ignore):
        return None

    def parse(values: list[str] | None, option: str) -> tuple[Selected, ...]:
        out = []
        for value in values or []:
            for item in value.split(","):
                if not item.strip():
                    continue
                resolved = resolve_selector(item)
                if resolved is None:
                    raise ValueError(f"unknown rule or prefix {item.strip()!r} in {option}"
                                     " (see `agentls rule --all`)")
                out.append(resolved)
        return tuple(out)

    selection = RuleSelection(parse(select, "--select") if select else None,
                              parse(extend_select, "--extend-select"), parse(ignore, "--ignore"))
    return Settings(rules=(selection,))


def configs_from_args(args) -> ConfigSet:
    """The :class:`ConfigSet` for ``agentls check`` options (``--config``, ``--select``...).

    Raises :class:`~agentls.engine.toml_config.ConfigError` for a bad configuration file
    and ``ValueError`` for a bad option; the CLI turns both into exit code 2.
    """
    layer = cli_layer(getattr(args, "select", None), getattr(args, "extend_select", None),
                      getattr(args, "ignore", None))
    return ConfigSet(getattr(args, "config", None), layer)
