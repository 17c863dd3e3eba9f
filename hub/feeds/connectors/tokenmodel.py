"""What a token check is: the account and its token, what its platform said, one request.

:class:`TokenUse` is an account read through its platform's API with the token
in an environment variable; :class:`TokenCheck` is what the platform said of
that token (valid, refused, or not checked), every text of it redacted. A
check's requests go through :func:`ask`, which sends as the reads send
(:meth:`hub.feeds.connectors.session.Session.call`: the token in a header,
only to the API's origin, through the run's vetted client) but keeps a failed
answer as a :class:`Reply`: whether a token was refused or could not be
checked depends on the answer's status, and X's answer to an app-only token
on ``/2/users/me`` is read rather than raised.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal

from hub.feeds.connectors import limits, secrets
from hub.feeds.connectors.session import Call, Page, Session, facebook_login
from hub.model import FeedRef

Status = Literal["valid", "not_set", "refused", "unchecked"]
"""``unchecked``: the platform could not say (a rate limit, a server or network failure)."""

UNSET = "map the secret to the variable (docs/connectors.md#giving-the-tokens-to-github-actions)"
"""What to do about a token variable that is not set."""

_MAX_NAME = 60


@dataclass(frozen=True)
class TokenUse:
    """An account read through its platform's API with the token in a variable."""

    feed: FeedRef
    owner: str = ""
    """Who owns the account: ``unit:<id>`` or ``officer:<id>``."""
    shared: bool = False
    """X: the app's bearer token of ``site.api.x_bearer_token``, shared by X accounts."""

    @property
    def source(self) -> str:
        return self.feed.source

    @property
    def platform(self) -> str:
        return self.feed.platform or ""

    @property
    def handle(self) -> str:
        return self.feed.source.split(":", 2)[-1]

    @property
    def variable(self) -> str:
        return self.feed.token or ""


@dataclass(frozen=True)
class TokenCheck:
    """What one account's platform said of its token. Every text is redacted."""

    use: TokenUse
    status: Status
    kind: str = ""
    """What token it is: ``page token``, ``app-only bearer token``..."""
    reads: str = ""
    """The account it reads, as its platform names it (``@lakeviewpolice``), when it says."""
    scopes: tuple[str, ...] = ()
    """The permissions its platform says it has; empty where it does not say."""
    expires: str = ""
    """``never``, a moment, or what is known of it (``2 hours after ...``)."""
    expires_at: datetime | None = None
    data_access_expires: str = ""
    """Meta's tokens: when the app's access to the data ends (``never``, a moment)."""
    message: str = ""
    """Why it was refused and how to renew it, why it could not be checked, or what to
    do about a variable that is not set."""
    warnings: tuple[str, ...] = ()
    billed: int = 0
    """Requests its platform bills: X's user look-ups."""


@dataclass(frozen=True)
class Reply:
    """One answer, and what it means when it failed."""

    page: Page
    failure: limits.Failure | None

    @property
    def document(self) -> dict[str, Any]:
        return self.page.document or {}

    @property
    def status(self) -> Status:
        """``refused`` when the platform turned the token down, ``unchecked`` when it
        could not say (a rate limit, a server error, an answer of no known shape)."""
        if self.failure is None:
            return "valid"
        if self.failure.retry_after is not None or self.page.status >= 500:
            return "unchecked"
        if self.page.status >= 400 or self.document.get("error") is not None:
            return "refused"
        return "unchecked"


def wording(session: Session) -> str:
    """The platform whose errors a token's answers are read as: an Instagram token
    from Facebook Login is Facebook's, and is renewed as Facebook's are."""
    return "facebook" if facebook_login(session.platform, session.token) else session.platform


async def ask(session: Session, call: Call) -> Reply:
    """One request with the token, sent as the reads send it; a failed answer is kept."""
    page = await session.send(call)
    platform = wording(session)
    failed = limits.failure(
        platform, page.status, page.headers, page.document, session.variable, datetime.now(UTC)
    )
    name = limits.API_NAMES.get(platform, "API")
    if failed is None and not 200 <= page.status < 300:
        failed = limits.Failure(f"HTTP {page.status}: the {name} did not answer here")
    elif failed is None and page.document is None:
        failed = limits.Failure(f"the {name} did not answer with a JSON object")
    return Reply(page, failed)


def result(use: TokenUse, status: Status, message: str, **found: Any) -> TokenCheck:
    """A check that ends with ``message``, redacted."""
    return redacted(TokenCheck(use, status, message=message, **found))


def failed(use: TokenUse, reply: Reply, **found: Any) -> TokenCheck:
    """The check of a token whose answer failed: refused, or not checked."""
    message = reply.failure.message if reply.failure is not None else ""
    return result(use, reply.status, message, **found)


def redacted(check: TokenCheck) -> TokenCheck:
    """``check`` with every token hidden from its texts."""
    return replace(
        check,
        kind=secrets.redact(check.kind),
        reads=secrets.redact(check.reads),
        scopes=tuple(secrets.redact(scope) for scope in check.scopes),
        expires=secrets.redact(check.expires),
        data_access_expires=secrets.redact(check.data_access_expires),
        message=secrets.redact(check.message),
        warnings=tuple(secrets.redact(warning) for warning in check.warnings),
    )


def shown(value: object) -> str:
    """A name an API gave, on one line, printable and short."""
    if not isinstance(value, str):
        return ""
    text = " ".join("".join(c if c.isprintable() else " " for c in value[:400]).split())
    return text if len(text) <= _MAX_NAME else text[: _MAX_NAME - 1] + "\u2026"
