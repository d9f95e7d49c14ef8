"""The per-page limits' defaults (a module of its own: the command line's --help reads them without loading the
extractors)."""

# MediaWiki's $wgMaxArticleSize on Wikipedia (2,048 KiB), so no real page is ever cut.
MAX_PAGE_SIZE = 2 * 1024 * 1024
# Twice what a page of that size takes on a slow machine (~25 s per MB; ~4 s on a recent one), far below the
# hours that some malformed markup keeps the parser busy (it is quadratic on unclosed external links).
PAGE_TIMEOUT = 120.0
SHARD_PAGES = 1000  # pages per shard of a folder output: a few MB compressed
