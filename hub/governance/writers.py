"""The report's files: ``index.html`` for people, ``accounts.csv`` and ``report.json`` for machines.

The page is one self-contained file (inline CSS, no script, nothing loaded
from anywhere), rendered with Jinja from the packaged ``report.html`` with
autoescaping on; its words are :mod:`hub.governance.wording`'s. The CSV has
one row per account, written with the csv module; a text cell that a
spreadsheet would run as a formula starts with an apostrophe. The JSON
document holds everything, with a ``format`` version.

Every file passes through :func:`hub.feeds.connectors.secrets.redact` and is
written whole (a temporary file, then a rename), so a reader never sees half
a report and no token ever lands in one.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import asdict
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from hub.feeds.connectors import secrets
from hub.governance import wording
from hub.governance.model import FORMAT, AccountRow, Finding, Report, Section
from hub.wholefiles import write_whole

HTML_NAME = "index.html"
CSV_NAME = "accounts.csv"
JSON_NAME = "report.json"
FILES = (HTML_NAME, CSV_NAME, JSON_NAME)
LISTED_URLS = 10
"""Posts listed under a finding on the page; report.json has them all."""

CSV_COLUMNS = (
    "account",
    "platform",
    "handle",
    "profile_url",
    "unit_or_officer",
    "unit_or_officer_name",
    "owner",
    "contact",
    "trained",
    "approved_by",
    "approved",
    "review_by",
    "flags",
    "last_post",
    "feed_status",
    "last_error",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def write_report(report: Report, out: Path) -> tuple[Path, ...]:
    """Write the three files into ``out`` (made if missing); their paths."""
    out.mkdir(parents=True, exist_ok=True)
    texts = {HTML_NAME: html(report), CSV_NAME: csv_text(report), JSON_NAME: json_text(report)}
    written = []
    for name, text in texts.items():
        path = out / name
        write_whole(path, secrets.redact(text).encode())
        written.append(path)
    return tuple(written)


# JSON


def json_text(report: Report) -> str:
    flags = report.flags()
    document = {
        "format": FORMAT,
        "generated": report.generated.isoformat(),
        "day": report.day.isoformat(),
        "site": {"name": report.site_name, "url": report.site_url},
        "sources": report.sources,
        "offline": report.offline,
        "private": wording.PRIVATE,
        "summary": {
            "accounts": len(report.accounts),
            "findings": sum(len(s.findings) for s in report.sections),
            "sections": {s.id: len(s.findings) for s in report.sections},
        },
        "sections": [_section(section) for section in report.sections],
        "accounts": [_account(row, flags.get(row.key, ())) for row in report.accounts],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _section(section: Section) -> dict[str, Any]:
    return {
        "id": section.id,
        "title": wording.SECTIONS[section.id].title,
        "checked": section.checked,
        "skipped": section.skipped,
        "findings": [_finding(f) for f in section.findings],
    }


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "label": wording.CODES[finding.code],
        "account": finding.account,
        "profile": finding.profile,
        "owner": finding.owner,
        "contact": finding.contact,
        "text": finding.text,
        "when": _day(finding.when),
        "urls": list(finding.urls),
        "facts": dict(finding.facts),
    }


def _account(row: AccountRow, flags: tuple[str, ...]) -> dict[str, Any]:
    admin = {k: _day(v) if isinstance(v, date) else v for k, v in asdict(row.admin).items()}
    return {
        "key": row.key,
        "platform": row.platform,
        "handle": row.handle,
        "url": row.url,
        "profile": row.profile,
        "profile_name": row.profile_name,
        **admin,
        "feed": row.feed,
        "feed_status": row.feed_status,
        "last_post": row.last_post.isoformat() if row.last_post else None,
        "last_error": row.last_error,
        "flags": list(flags),
    }


def _day(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# CSV


def csv_text(report: Report) -> str:
    flags = report.flags()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in report.accounts:
        admin = row.admin
        writer.writerow(
            [
                _cell(row.key),
                row.platform,
                _cell(row.handle or ""),
                _cell(row.url),
                row.profile,
                _cell(row.profile_name),
                _cell(admin.owner or ""),
                _cell(admin.contact or ""),
                _day(admin.trained) or "",
                _cell(admin.approved_by or ""),
                _day(admin.approved) or "",
                _day(admin.review_by) or "",
                ";".join(flags.get(row.key, ())),
                row.last_post.isoformat() if row.last_post else "",
                row.feed_status,
                _cell(row.last_error or ""),
            ]
        )
    return buffer.getvalue()


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text: a leading ``=``, ``+``, ``-`` or ``@`` is escaped."""
    return "'" + text if text.startswith(_FORMULA) else text


# HTML


def html(report: Report) -> str:
    template = _environment().from_string(
        resources.files("hub.governance").joinpath("report.html").read_text("utf-8")
    )
    return template.render(
        report=report,
        words=wording,
        sections=[(s, wording.SECTIONS[s.id]) for s in report.sections],
        flags=report.flags(),
        listed=LISTED_URLS,
        files={"csv": CSV_NAME, "json": JSON_NAME},
    )


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    environment.filters["day"] = _shown_day
    environment.filters["label"] = _label
    return environment


def _shown_day(value: date | None) -> str:
    if value is None:
        return wording.NONE
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def _label(code: str, codes: Mapping[str, str] = wording.CODES) -> str:
    return codes.get(code, code)
