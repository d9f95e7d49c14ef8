"""Stage run: many pages at once — every core of a machine, or a Dask cluster.

Enters: the inputs of ``wikikg build`` (files, folders, XML dumps) and the build options. Leaves: each page's
triples as N-Triples bytes, its diagnostics and its provenance record, in input order whatever ran them
(``runners``), cut into work units (``units``) by one per-page function (``page``). Each page is read in a
worker process (``page_worker``) that its time limit can kill; the one article of a ``wikikg build`` is read in
the command's own process, watched by its parent (``watch``).
"""
