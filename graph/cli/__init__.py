"""The thin command line: ``wikikg SUBCOMMAND``, one module per subcommand; ``main`` parses argv and dispatches.

Enters: argv. Leaves: files, rows on stdout, diagnostics on stderr, and an exit status (0, 1, 2).
"""

from graph.data import dataclass_code

# before any module of the command line is imported: their record classes' methods come from the cache
dataclass_code.install()
