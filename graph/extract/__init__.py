"""Stage 2, extract: a parsed Page → plain dataclasses (``model``), no RDF.

Enters: a ``Page`` and its infoboxes. Leaves: an ``Article`` holding conflicts (infobox fields read by
``infobox`` through ``values``, ``numbers``, ``dates``, ``flags``, ``headings``, ``entities``), the body's
sections and dated events (``body``), strength tables (``tables``), and every source (``refs``,
``bibliography``, ``isbn``).
"""
