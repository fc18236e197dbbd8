"""`socieux-kg push`: load the built graph into an external triple store with the SPARQL 1.1 Graph
Store HTTP Protocol (PUT replaces the named graph), with retries and back-off.

Credentials come from the environment: SOCIEUX_KG_PUSH_TOKEN (a bearer token), or
SOCIEUX_KG_PUSH_USER and SOCIEUX_KG_PUSH_PASSWORD (HTTP basic authentication).
"""

from __future__ import annotations

import base64
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, urlsplit

from graph.errors import SocieuxError

MEDIA = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
}


def graph_store_url(endpoint: str, graph_iri: str | None) -> str:
    """The Graph Store Protocol URL of the graph: ``?graph=IRI``, or ``?default`` for the default graph."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SocieuxError(f"{endpoint!r} is not an http(s) URL of a Graph Store Protocol endpoint")
    joiner = "&" if parts.query else "?"
    return endpoint + joiner + (f"graph={quote(graph_iri, safe='')}" if graph_iri else "default")


def _headers(media: str) -> dict[str, str]:
    headers = {"Content-Type": media + ("; charset=utf-8" if media.startswith("text/") else "")}
    token = os.environ.get("SOCIEUX_KG_PUSH_TOKEN")
    user, password = os.environ.get("SOCIEUX_KG_PUSH_USER"), os.environ.get("SOCIEUX_KG_PUSH_PASSWORD")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    elif user:
        credentials = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
        headers["Authorization"] = f"Basic {credentials}"
    return headers


def push(
    endpoint: str,
    graph_file: Path,
    graph_iri: str | None,
    retries: int = 4,
    timeout: float = 120,
    say: Callable[[str], None] = lambda message: None,
    backoff: float = 0.5,
) -> int:
    """PUT ``graph_file`` into the store; return the HTTP status. Retries on network errors and 5xx."""
    path = Path(graph_file)
    media = MEDIA.get(path.suffix.lower())
    if media is None:
        raise SocieuxError(f"{path}: push sends .ttl, .nt, .jsonld or .rdf files")
    try:
        body = path.read_bytes()
    except OSError as error:
        hint = " (run `socieux-kg build` first)" if path.name.startswith("socieux.") else ""
        raise SocieuxError(f"{path}: cannot read: {error.strerror or error}{hint}") from None
    url = graph_store_url(endpoint, graph_iri)
    last = ""
    for attempt in range(retries + 1):
        request = urllib.request.Request(url, data=body, method="PUT", headers=_headers(media))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status
        except urllib.error.HTTPError as error:
            detail = " ".join(error.read(500).decode("utf-8", "replace").split())
            if error.code < 500:
                raise SocieuxError(
                    f"{url}: the store refused the graph: HTTP {error.code} {error.reason}"
                    + (f": {detail}" if detail else "")
                ) from None
            last = f"HTTP {error.code} {error.reason}"
        except (urllib.error.URLError, OSError) as error:
            last = str(getattr(error, "reason", error))
        if attempt < retries:
            delay = backoff * 2**attempt
            say(f"{url}: {last}; retrying in {delay:g} s ({attempt + 1}/{retries})")
            time.sleep(delay)
    raise SocieuxError(f"{url}: could not push after {retries + 1} attempts: {last}")
