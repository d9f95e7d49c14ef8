"""Stage 4a, query: triples → answers (SPARQL).

Enters: graph files or a store. Leaves: rows of the named queries from the embedded engine (``engine``,
``notebook``) or a remote endpoint (``endpoint``), graphs loaded into a store by the Graph Store Protocol,
and a read-only HTTP endpoint of our own (``serve``).
"""
