"""The engine: files on disk and open in an editor, configuration, one resolved settings
object per file, and the fixes. :class:`agentls.engine.project.Project` is the entry point
the command line and the server share."""
