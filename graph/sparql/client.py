"""HTTP for the clients of triple stores (``push``, ``query --endpoint``): requests sessions on
urllib3, with the project's rules for redirects and the store's own words in errors.

A redirect is followed only when it keeps the method and the body (307, 308) and stays on the same
origin; any other (a 301, 302 or 303 would turn a POST or PUT into a GET, another host would get
the request) is an answer like any other, which the caller reports with its ``Location``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import requests


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port


class Session(requests.Session):
    """A requests session that follows only the redirects that change nothing but the path."""

    def get_redirect_target(self, resp: requests.Response) -> str | None:
        target = super().get_redirect_target(resp)
        if target is None or resp.status_code not in (307, 308):
            return None
        absolute = requests.compat.urljoin(resp.url, target)
        return target if origin(absolute) == origin(resp.url) else None


def store_message(response: requests.Response) -> str:
    """The store's own words from an error answer, on one line (HTML reduced to its text)."""
    body = response.content[:4000].decode("utf-8", "replace")
    focus = re.search(r"<(xmp|pre)[^>]*>(.*?)</\1>", body, re.DOTALL | re.IGNORECASE)  # Virtuoso puts it there
    if focus:
        body = focus.group(2)
    elif re.search(r"<(html|body)\b", body, re.IGNORECASE):
        inner = re.search(r"<body[^>]*>(.*)</body>", body, re.DOTALL | re.IGNORECASE)
        body = re.sub(r"<[^>]+>", " ", inner.group(1) if inner else body)
    return " ".join(body.split())[:300]


def status_line(response: requests.Response) -> str:
    """``HTTP 413 Payload Too Large: the store's words``, and where a redirect pointed."""
    line = f"HTTP {response.status_code} {response.reason}"
    if response.is_redirect:
        return f"{line} to {response.headers.get('Location', '?')} (not followed: use that URL)"
    detail = store_message(response)
    return line + (f": {detail}" if detail else "")


def reason(error: BaseException) -> str:
    """Why a request got no answer, in a few words (urllib3's reason without its connection object)."""
    while getattr(error, "reason", None) is not None and error is not error.reason:  # type: ignore[attr-defined]
        error = error.reason  # type: ignore[attr-defined]
    for inner in getattr(error, "args", ()):
        if isinstance(inner, BaseException):
            return reason(inner)
    return re.sub(r"^<?\w+(Connection|Pool)\b[^:]*:\s*", "", str(error)) or type(error).__name__
