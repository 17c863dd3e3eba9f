"""The command line's words: every command and the options it takes, and nothing it ignores.

Each command is given the options it uses (``hub check`` has no ``--out``:
it writes nothing). ``-q`` and ``-v`` (:mod:`hub.cli.messages`) are global:
they may come before the command word or after it (``hub -q build``,
``hub build -q``), and ``python build.py`` takes them too. ``--version``
says the installed package's version, from its metadata.
"""

from __future__ import annotations

import argparse
from importlib import metadata
from pathlib import Path

from hub.cli import audit
from hub.cli import init as init_command
from hub.problems import did_you_mean, one_of

PACKAGE = "police-social-hub"
CHECK_FORMATS = ("text", "json", "sarif")
FEED_ENTRIES = 5
"""How many of a feed's newest entries ``hub feed`` shows by default."""


def version() -> str:
    """The installed package's version; ``unknown`` when it runs from an uninstalled copy."""
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _voice(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """``-q`` and ``-v``; after the command word they must not undo what came before it."""
    group = parser.add_mutually_exclusive_group()
    extra = {} if top else {"default": argparse.SUPPRESS}
    group.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print errors only (for cron, which mails whatever a job prints)",
        **extra,
    )
    group.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also print a line per feed: its HTTP status, the time its fetch took, the outcome",
        **extra,
    )


def _sources(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sources",
        type=Path,
        default=Path("sources.yaml"),
        metavar="FILE",
        help="the registry to read (default: sources.yaml)",
    )


def _out(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("public"),
        metavar="DIR",
        help="where the site is written (default: public/)",
    )


def _cache(parser: argparse.ArgumentParser, text: str | None = None) -> None:
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(".hub-cache"),
        metavar="DIR",
        help=text
        or (
            "where the feed store is kept between runs (default: .hub-cache/); one run at a "
            "time uses it, the next waits up to HUB_LOCK_WAIT seconds (default: 300)"
        ),
    )


def _offline(parser: argparse.ArgumentParser, text: str) -> None:
    parser.add_argument("--offline", action="store_true", help=text)


def _strict(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")


def _site_options(parser: argparse.ArgumentParser) -> None:
    """What ``hub build``, ``hub serve`` and ``python build.py`` share."""
    _sources(parser)
    _out(parser)
    _cache(parser)
    _offline(parser, "do not fetch feeds: build from what the store already holds")
    _strict(parser)


def _gate_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help="publish even when the new site is much smaller than the published one",
    )
    parser.add_argument(
        "--baseline",
        metavar="URL-OR-FILE",
        help=(
            "the published site's hub-manifest.json to compare with (default: the one in "
            "the output folder, else SITE_URL/hub-manifest.json)"
        ),
    )


def _build_options(parser: argparse.ArgumentParser) -> None:
    _site_options(parser)
    _gate_options(parser)
    _without_secrets(
        parser,
        "an account read through its API whose token variable is not set is not asked; "
        "the site shows the posts the store holds of it",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help=(
            "render every page and feed, not only those whose posts, content or theme "
            "changed since the last build (the output is the same)"
        ),
    )


def _without_secrets(parser: argparse.ArgumentParser, doing: str) -> None:
    parser.add_argument(
        "--without-secrets",
        action="store_true",
        help=f"this run has no secrets (a pull-request check): {doing}",
    )


def _check_options(parser: argparse.ArgumentParser) -> None:
    _sources(parser)
    _strict(parser)
    _without_secrets(parser, "do not report token variables that are not set")
    parser.add_argument(
        "--format",
        choices=CHECK_FORMATS,
        default="text",
        help=(
            "text: the problems on stderr and a summary line; json or sarif (SARIF 2.1.0, "
            "for code scanning): one document on stdout as well (default: text)"
        ),
    )


def _fetch_options(parser: argparse.ArgumentParser) -> None:
    _sources(parser)
    _cache(parser)
    _strict(parser)
    parser.add_argument(
        "--only",
        metavar="ACCOUNT",
        help=(
            "fetch only this account's feed (platform:handle, as x:LakeviewTraffic), or "
            "the feeds of one unit or officer (its id, or unit:ID, officer:ID)"
        ),
    )


def _serve_options(parser: argparse.ArgumentParser) -> None:
    _site_options(parser)
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    parser.add_argument(
        "--bind",
        default="127.0.0.1",
        metavar="ADDR",
        help=(
            "the address to listen on (default: 127.0.0.1, this machine only); "
            "0.0.0.0 shows the preview to the whole network"
        ),
    )


def _audit_options(parser: argparse.ArgumentParser) -> None:
    _sources(parser)
    _cache(parser, "where the feed store is kept (default: .hub-cache/); read, never locked")
    parser.add_argument(
        "--since",
        type=audit.day,
        metavar="YYYY-MM-DD",
        help="the first day listed, in the site's time zone (default: the oldest event)",
    )
    parser.add_argument(
        "--until",
        type=audit.day,
        metavar="YYYY-MM-DD",
        help="the last day listed, included (default: the newest event)",
    )
    parser.add_argument(
        "--account",
        metavar="PLATFORM:HANDLE",
        help="only this account's posts, as sources.yaml lists it: x:LakeviewTraffic",
    )
    parser.add_argument(
        "--format",
        choices=audit.FORMATS,
        default="text",
        help="a block per event, or CSV or JSON with the full text (default: text)",
    )


def _report_options(parser: argparse.ArgumentParser) -> None:
    _sources(parser)
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("report"),
        metavar="DIR",
        help=(
            "where the report is written (default: report/); never the site's output folder "
            "or inside it: the report names people"
        ),
    )
    _cache(parser, "where the feed store is kept (default: .hub-cache/)")
    _offline(parser, "ask no platform: the tokens and the profiles' links back are not checked")


def _tokens_options(parser: argparse.ArgumentParser) -> None:
    _sources(parser)
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="one line per account, or one JSON document (default: text)",
    )


def _hide_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", metavar="URL", help="the post's address, as the site links to it")
    parser.add_argument("--reason", required=True, help="why, for the record (never published)")
    parser.add_argument(
        "--date",
        type=audit.day,
        metavar="YYYY-MM-DD",
        help="the day written beside it (default: today, in the site's time zone)",
    )
    _sources(parser)


def _entries(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if count < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, got {count}")
    return count


def _platform(text: str) -> str:
    """A platform whose answers the hub reads (:data:`hub.feeds.connectors.READERS`)."""
    from hub.feeds.connectors import READERS  # not for every command: it takes a while

    key = text.strip().lower()
    if key == "twitter":
        key = "x"
    if key not in READERS:
        raise argparse.ArgumentTypeError(
            f"no reader for {text!r}{did_you_mean(key, READERS)}: one of {one_of(sorted(READERS))}"
        )
    return key


def _feed_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "feed",
        metavar="URL-OR-FILE",
        help="a feed's address, or a file: a feed, or a platform's answer with --platform",
    )
    parser.add_argument(
        "--platform",
        type=_platform,
        help=(
            "read a document that is no feed as this platform's answer (an API's JSON, "
            "a Telegram preview page): facebook, instagram, telegram, threads, tiktok or x"
        ),
    )
    parser.add_argument(
        "--entries",
        type=_entries,
        default=FEED_ENTRIES,
        metavar="N",
        help=f"how many of the newest entries to show (default: {FEED_ENTRIES})",
    )
    _sources(parser)


COMMANDS = (
    ("check", "validate sources.yaml and content/ and report every problem", _check_options),
    ("fetch", "fetch every account's feed (or one's, --only) into the store", _fetch_options),
    ("build", "fetch feeds (unless --offline) and write the site", _build_options),
    (
        "serve",
        "build, serve the site on 127.0.0.1, rebuild on changes and reload the browser",
        _serve_options,
    ),
    (
        "tokens",
        "check each API token that sources.yaml names with its platform: what it can read "
        "and when it expires",
        _tokens_options,
    ),
    (
        "report",
        "write the governance report for Corporate Communications (private: never published)",
        _report_options,
    ),
    (
        "audit",
        "list what the store's audit trail recorded: posts first seen, edited, withdrawn "
        "and restored, and what content/curation.yaml did to them",
        _audit_options,
    ),
    (
        "hide",
        "take a post down: add its address to content/curation.yaml (docs/takedown.md)",
        _hide_options,
    ),
    (
        "feed",
        "read one feed (or a platform's answer) as a build would and show what the site "
        "would show of it; writes nothing",
        _feed_options,
    ),
    ("init", init_command.TEXT, init_command.add_options),
)
"""Each command: its word, what it does, and the function that gives it its options."""


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="hub",
        description="Build a police service's social-media hub from sources.yaml.",
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    _voice(top, top=True)
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, text, options in COMMANDS:
        sub = commands.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".")
        options(sub)
        _voice(sub, top=False)
    return top


def build_parser() -> argparse.ArgumentParser:
    """``python build.py``: the build command's options, without a command word."""
    top = argparse.ArgumentParser(
        prog="build.py",
        description="Build the site: the same as `hub build`.",
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    _build_options(top)
    _voice(top, top=True)
    return top


def verbosity(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str:
    """``quiet``, ``normal`` or ``verbose``; ``-q`` with ``-v`` is a usage error (exit 2)."""
    quiet, verbose = getattr(args, "quiet", False), getattr(args, "verbose", False)
    if quiet and verbose:
        parser.error("-q/--quiet and -v/--verbose cannot be used together")
    return "quiet" if quiet else "verbose" if verbose else "normal"
