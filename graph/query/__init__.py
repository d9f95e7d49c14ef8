"""Stage 4a, query: triples → answers (SPARQL).

Enters: graph files, a store or an endpoint URL. Leaves: rows of the named queries from the embedded engine
(``engine``; ``notebook`` gives them as Python values) or a remote endpoint (``endpoint``), printed as a table
or SPARQL results (``results``); graphs loaded into a store by the Graph Store Protocol (``store``); and a
read-only HTTP endpoint of our own (``serve``). Untrusted queries are checked before parsing (``guard``) and
run in worker processes that can be killed (``worker``, ``pool``): the engine can crash on a small query.
"""
