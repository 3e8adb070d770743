"""The command line: ``agentls check``, ``rule``, ``schema``, ``serve``; the report formats,
the baseline and the parallel runner. Importing it imports nothing of pygls."""
