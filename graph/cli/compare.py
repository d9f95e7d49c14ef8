"""``wikikg compare``: placeholder replaced below."""


def add_parser(subparsers) -> None:
    pass
