"""Python logging to the client (``window/logMessage``), never to stderr."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
from typing import TYPE_CHECKING

from lsprotocol import types

if TYPE_CHECKING:
    from agentls.lsp.server import AgentLanguageServer

_LEVELS = ((logging.ERROR, types.MessageType.Error), (logging.WARNING, types.MessageType.Warning),
           (logging.INFO, types.MessageType.Info))


class ClientLogHandler(logging.Handler):
    """Sends log records to the client as ``window/logMessage``; drops them before the
    connection is up, from inside its own sending, or when sending fails."""

    def __init__(self, server: AgentLanguageServer) -> None:
        super().__init__(logging.DEBUG)
        self.server = server
        self.loop: asyncio.AbstractEventLoop | None = None
        self._busy = threading.local()
        self.setFormatter(logging.Formatter("%(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(self._busy, "on", False):
            return
        self._busy.on = True
        try:
            if self.server.protocol.writer is None:
                return
            kind = next((t for level, t in _LEVELS if record.levelno >= level), types.MessageType.Log)
            params = types.LogMessageParams(type=kind, message=self.format(record))
            loop = self.loop
            if loop is None:
                try:
                    loop = self.loop = asyncio.get_running_loop()
                except RuntimeError:
                    return
            if threading.current_thread() is threading.main_thread():
                self.server.window_log_message(params)
            else:
                loop.call_soon_threadsafe(self._send, params)
        except Exception:
            pass  # logging must never raise or recurse
        finally:
            self._busy.on = False

    def _send(self, params: types.LogMessageParams) -> None:
        if getattr(self._busy, "on", False):
            return
        self._busy.on = True
        try:
            self.server.window_log_message(params)
        except Exception:
            pass
        finally:
            self._busy.on = False


def route_logging(server: AgentLanguageServer) -> ClientLogHandler:
    """Send all Python logging to the client; nothing to stderr."""
    handler = ClientLogHandler(server)
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    root.addHandler(handler)
    level = os.environ.get("AGENTLS_LOG_LEVEL", "INFO").upper()
    root.setLevel(getattr(logging, level, logging.INFO))
    logging.getLogger("pygls").setLevel(logging.WARNING)  # it logs every message at INFO
    logging.captureWarnings(True)
    logging.lastResort = None

    def excepthook(tp, value, tb):
        logging.getLogger("agentls").error("uncaught exception", exc_info=(tp, value, tb))

    sys.excepthook = excepthook
    threading.excepthook = lambda args: excepthook(args.exc_type, args.exc_value, args.exc_traceback)
    return handler
