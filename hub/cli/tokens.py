"""``hub tokens``: every API token the registry names, checked with its platform.

Which accounts: each one that names a token variable (``token:``), and each X
account read with ``site.api.x_bearer_token``, whether the variable is set or
not. The registry is loaded as ``hub check`` loads it (its errors are printed
the same way and end the command), then once more as if every variable were
set, so that an account whose variable is missing is listed too, under the
variable's name. The checks are :mod:`hub.feeds.connectors.tokencheck`'s.

What is printed: a line per account (``--format text``) or one JSON document
(``--format json``) on stdout, every string through
:func:`hub.feeds.connectors.secrets.redact`. The exit code is 0 when every
token is set and valid, 1 otherwise, so that a scheduled job can alert.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

from hub.cli import messages
from hub.cli.options import EXIT_FAILED, EXIT_OK, Options
from hub.feeds.connectors import secrets
from hub.feeds.connectors.tokencheck import TokenCheck, check_tokens, token_uses
from hub.feeds.fetch import user_agent
from hub.model import Registry

LABELS = {
    "valid": "valid",
    "not_set": "not set",
    "refused": "refused",
    "unchecked": "not checked",
}
"""How each status reads in a line."""


def run(options: Options, registry: Registry) -> int:
    """Check the tokens of ``registry`` (loaded from ``options.sources``); the exit code."""
    uses = token_uses(registry)
    if not uses:
        print(
            f"{options.sources}: no account names a token variable "
            "(token:, or site.api.x_bearer_token for X accounts)"
        )
        return EXIT_OK
    checks = asyncio.run(
        check_tokens(uses, registry.site.fetch, user_agent=user_agent(registry.site.url))
    )
    if options.output_format == "json":
        print(secrets.redact(json.dumps(document(checks), indent=2, ensure_ascii=False)))
    else:
        for line in lines(checks):
            print(secrets.redact(line))
    billed = sum(check.billed for check in checks)
    if billed:
        looked_up = f"{billed} X user look-up{'' if billed == 1 else 's'}"
        messages.note(
            f"this check made {looked_up}, which X bills as it bills the reads "
            "(docs/connectors.md#x)"
        )
    return EXIT_OK if all(check.status == "valid" for check in checks) else EXIT_FAILED


def head(check: TokenCheck) -> str:
    """Which account and which variable: ``api:x:LakeviewPS (unit:comms) HUB_X_BEARER``."""
    use = check.use
    owner = f" ({use.owner})" if use.owner else ""
    return f"{use.source}{owner} {use.variable}"


def lines(checks: Sequence[TokenCheck]) -> Iterator[str]:
    """The text report: a line per account, its warnings under it, then a summary."""
    for check in checks:
        yield f"{head(check)}: {LABELS[check.status]}: {describe(check)}"
        for warning in check.warnings:
            yield f"  warning: {warning}"
    counts = Counter(check.status for check in checks)
    shown = [f"{counts[status]} {label}" for status, label in LABELS.items() if counts[status]]
    noun = "account" if len(checks) == 1 else "accounts"
    yield f"tokens: {len(checks)} {noun}: {', '.join(shown)}"


def describe(check: TokenCheck) -> str:
    """What a line says after the status."""
    if check.status != "valid":
        return check.message
    parts = [check.kind or "token"]
    if check.reads:
        parts[0] += f", reads {check.reads}"
    if check.scopes:
        parts.append(f"scopes: {', '.join(check.scopes)}")
    parts.append(f"expires: {check.expires or 'not said'}")
    if check.data_access_expires:
        parts.append(f"data access expires: {check.data_access_expires}")
    return "; ".join(parts)


def document(checks: Sequence[TokenCheck]) -> dict[str, Any]:
    """The JSON report: a record per account, and whether all were valid."""
    return {
        "ok": all(check.status == "valid" for check in checks),
        "tokens": [record(check) for check in checks],
        "x_lookups": sum(check.billed for check in checks),
    }


def record(check: TokenCheck) -> dict[str, Any]:
    use = check.use
    return {
        "account": use.source,
        "platform": use.platform,
        "handle": use.handle,
        "owner": use.owner,
        "variable": use.variable,
        "shared": use.shared,
        "status": check.status,
        "kind": check.kind,
        "reads": check.reads,
        "scopes": list(check.scopes),
        "expires": check.expires,
        "expires_at": check.expires_at.isoformat() if check.expires_at else None,
        "data_access_expires": check.data_access_expires,
        "message": check.message,
        "warnings": list(check.warnings),
        "billed": check.billed,
    }
