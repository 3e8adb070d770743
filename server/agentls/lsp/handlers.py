"""What every handler module uses (the server and the feature modules it registers, which
therefore do not import the server): containment of a handler's exceptions, and path
normalisation."""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import os
from typing import Any, Callable

log = logging.getLogger("agentls.lsp")


def norm_path(path: str) -> str:
    return os.path.normpath(os.path.abspath(path))


def guarded(default: Any = None) -> Callable[[Callable], Callable]:
    """Wrap a handler: an exception is logged to the client and ``default`` returned."""

    def wrap(fn: Callable) -> Callable:
        if inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def run_async(ls, *args):
                try:
                    return await fn(ls, *args)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("%s failed", fn.__name__)
                    return default() if callable(default) else default
            return run_async

        @functools.wraps(fn)
        def run_sync(ls, *args):
            try:
                return fn(ls, *args)
            except Exception:
                log.exception("%s failed", fn.__name__)
                return default() if callable(default) else default
        return run_sync

    return wrap
