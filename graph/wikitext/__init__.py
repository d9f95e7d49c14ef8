"""Stage 1, wikitext: bytes → pages.

Enters: a file, a folder, stdin or a MediaWiki XML dump (``read``, ``dump``; a multistream dump's streams
one at a time with ``multistream``). Leaves: a parsed ``Page`` (``page``): the repaired text (``repair``), its
mwparserfromhell tree, line index and diagnostics, with zh variant markup read (``variants``). ``text`` holds
the script and comparison helpers every stage shares.
"""
