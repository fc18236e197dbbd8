"""`socieux-kg push`: load the built graph into an external triple store with the SPARQL 1.1 Graph
Store HTTP Protocol.

The graph goes in bounded chunks (``chunk`` triples a request, as N-Triples): the first request
replaces the graph (PUT), the others add to it (POST). Memory stays bounded whatever the size of the
graph, a store's request-size limit is met by a smaller chunk, and a network error or a 5xx answer
costs one chunk's retry (with doubling back-off), not the whole upload: adding the same triples twice
leaves a graph unchanged, so every request can be repeated. Triples with blank nodes are held back
and sent together in the last request, so that each blank node stays one node in the store.

Credentials come from the environment only: SOCIEUX_KG_PUSH_TOKEN (a bearer token), or
SOCIEUX_KG_PUSH_USER and SOCIEUX_KG_PUSH_PASSWORD. The scheme is the one the store asks for in its
401 challenge: Bearer, Digest (RFC 7616; Virtuoso's ``/sparql-graph-crud-auth``) or Basic.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from graph.errors import SocieuxError

MEDIA = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
}
_OX_FORMAT = {".ttl": "TURTLE", ".nt": "N_TRIPLES", ".jsonld": "JSON_LD", ".rdf": "RDF_XML"}
NTRIPLES = "application/n-triples"
PUSHED_GRAPH = "https://w3id.org/socieux-kg/graph"  # the named graph push replaces unless told otherwise
CHUNK_TRIPLES = 100_000
# Answers worth repeating: the store was busy or restarting, or a gateway before it gave up. Other
# errors (a 500 included: Virtuoso answers its SQL errors so) would come again: they end the push.
RETRIED = {408, 429, 502, 503, 504}


def graph_store_url(endpoint: str, graph_iri: str | None) -> str:
    """The Graph Store Protocol URL of the graph: ``?graph=IRI``, or ``?default`` for the default graph."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SocieuxError(f"{endpoint!r} is not an http(s) URL of a Graph Store Protocol endpoint")
    joiner = "&" if parts.query else "?"
    return endpoint + joiner + (f"graph={quote(graph_iri, safe='')}" if graph_iri else "default")


# ---------------------------------------------------------------------------- authentication

_CHALLENGE = re.compile(r"""([A-Za-z][\w!#$%&'*+.^`|~-]*)((?:\s*,?\s*[\w-]+\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^\s,"]+))*)""")
_PARAM = re.compile(r"""([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+))""")


def parse_challenges(headers: list[str]) -> dict[str, dict[str, str]]:
    """The schemes of ``WWW-Authenticate`` headers (lower case) with their parameters."""
    found: dict[str, dict[str, str]] = {}
    for header in headers:
        for match in _CHALLENGE.finditer(header):
            params = {
                key.lower(): (quoted.replace('\\"', '"') if quoted is not None else bare)
                for key, quoted, bare in _PARAM.findall(match.group(2))
            }
            found.setdefault(match.group(1).lower(), params)
    return found


def _describe(scheme: str, params: dict[str, str]) -> str:
    realm = params.get("realm")
    return f"HTTP {scheme.capitalize()}" + (f' (realm "{realm}")' if realm else "")


class Authenticator:
    """Answers a store's 401 challenge with the credentials of the environment, and signs the
    requests that follow with the scheme it chose (Digest counts its nonce uses)."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        environ = os.environ if environ is None else environ
        self.token = environ.get("SOCIEUX_KG_PUSH_TOKEN") or None
        self.user = environ.get("SOCIEUX_KG_PUSH_USER") or None
        self.password = environ.get("SOCIEUX_KG_PUSH_PASSWORD") or ""
        self.scheme: str | None = None
        self.params: dict[str, str] = {}
        self._count = 0

    def header(self, method: str, url: str) -> str | None:
        """The ``Authorization`` header for a request, once a challenge has chosen the scheme."""
        if self.scheme == "bearer":
            return f"Bearer {self.token}"
        if self.scheme == "basic":
            return "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        if self.scheme == "digest":
            return self._digest(method, url)
        return None

    def answer(self, headers: list[str], signed: bool) -> None:
        """Choose a scheme from the challenge; raise a one-line error when there is no way in.
        ``signed``: the refused request carried our credentials (so they were refused)."""
        offered = parse_challenges(headers)
        digest = offered.get("digest")
        if signed and self.scheme == "digest" and digest and digest.get("stale", "").lower() == "true":
            self.params, self._count = digest, 0  # the nonce expired, the password did not: sign again
            return
        if signed:
            raise SocieuxError(
                f"the store refused the login ({_describe(self.scheme or '', self.params)}): "
                + (
                    "check SOCIEUX_KG_PUSH_TOKEN"
                    if self.scheme == "bearer"
                    else f"check SOCIEUX_KG_PUSH_USER ({self.user}) and SOCIEUX_KG_PUSH_PASSWORD"
                )
            )
        choices = [s for s in ("bearer", "digest", "basic") if s in offered]
        usable = [s for s in choices if (self.token if s == "bearer" else self.user)]
        if usable:
            self.scheme, self.params, self._count = usable[0], offered[usable[0]], 0
            return
        if not offered:
            raise SocieuxError("the store answered 401 Unauthorized without saying how to log in")
        scheme = choices[0] if choices else next(iter(offered))
        asked = _describe(scheme, offered[scheme])
        if scheme == "bearer":
            raise SocieuxError(f"the store asks for {asked} authentication: set SOCIEUX_KG_PUSH_TOKEN")
        if scheme in ("digest", "basic"):
            raise SocieuxError(
                f"the store asks for {asked} authentication: set SOCIEUX_KG_PUSH_USER and SOCIEUX_KG_PUSH_PASSWORD"
            )
        raise SocieuxError(f"the store asks for {asked} authentication; push speaks Basic, Digest and Bearer")

    def _digest(self, method: str, url: str) -> str:
        params = self.params
        algorithm = params.get("algorithm", "MD5")
        hashing = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}.get(algorithm.upper().removesuffix("-SESS"))
        if hashing is None:
            raise SocieuxError(f"the store asks for HTTP Digest with {algorithm}; push speaks MD5 and SHA-256")

        def digest(text: str) -> str:
            return hashing(text.encode("utf-8")).hexdigest()

        parts = urlsplit(url)
        uri = parts.path + (f"?{parts.query}" if parts.query else "")
        realm, nonce = params.get("realm", ""), params.get("nonce", "")
        self._count += 1
        count, cnonce = f"{self._count:08x}", secrets.token_hex(8)
        secret = digest(f"{self.user}:{realm}:{self.password}")
        if algorithm.upper().endswith("-SESS"):
            secret = digest(f"{secret}:{nonce}:{cnonce}")
        qops = [q.strip() for q in params.get("qop", "").split(",") if q.strip()]
        if "auth" in qops:
            response = digest(f"{secret}:{nonce}:{count}:{cnonce}:auth:{digest(f'{method}:{uri}')}")
            extra = f', qop=auth, nc={count}, cnonce="{cnonce}"'
        else:
            response = digest(f"{secret}:{nonce}:{digest(f'{method}:{uri}')}")
            extra = ""
        opaque = f', opaque="{params["opaque"]}"' if "opaque" in params else ""
        return (
            f'Digest username="{self.user}", realm="{realm}", nonce="{nonce}", uri="{uri}", '
            f'algorithm={algorithm}, response="{response}"{opaque}{extra}'
        )


# ---------------------------------------------------------------------------- chunks of the graph


def chunks(path: Path, size: int) -> Iterator[tuple[bytes, int, float]]:
    """The graph file as N-Triples bodies of at most ``size`` triples: (body, triples, share of the
    file read). Triples with blank nodes come last, all in one body. N-Triples files are cut at line
    ends without parsing; other formats are parsed as a stream by Oxigraph."""
    total = max(path.stat().st_size, 1)
    held: list[bytes] = []
    with path.open("rb") as stream:
        if path.suffix.lower() == ".nt":
            pieces = _ntriples_pieces(stream, size, held)
        else:
            pieces = _parsed_pieces(stream, path, size, held)
        for body, count in pieces:
            yield body, count, stream.tell() / total
    if held:
        yield b"".join(held), len(held), 1.0


def _ntriples_pieces(stream, size: int, held: list[bytes]) -> Iterator[tuple[bytes, int]]:
    batch: list[bytes] = []
    for line in stream:
        if not line.strip() or line.lstrip().startswith(b"#"):
            continue
        if b"_:" in line and _has_blank_node(line):
            held.append(line if line.endswith(b"\n") else line + b"\n")
            continue
        batch.append(line if line.endswith(b"\n") else line + b"\n")
        if len(batch) >= size:
            yield b"".join(batch), len(batch)
            batch = []
    if batch:
        yield b"".join(batch), len(batch)


def _has_blank_node(line: bytes) -> bool:
    from pyoxigraph import BlankNode, RdfFormat, parse

    try:
        return any(
            isinstance(term, BlankNode)
            for quad in parse(line, format=RdfFormat.N_TRIPLES)
            for term in (quad.subject, quad.object)
        )
    except SyntaxError:
        return False  # not N-Triples: sent as it is, for the store to refuse in its own words


def _parsed_pieces(stream, path: Path, size: int, held: list[bytes]) -> Iterator[tuple[bytes, int]]:
    import pyoxigraph as ox

    fmt = getattr(ox.RdfFormat, _OX_FORMAT[path.suffix.lower()])
    batch: list = []
    try:
        for quad in ox.parse(stream, format=fmt, without_named_graphs=True):
            if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
                held.append(f"{quad.subject} {quad.predicate} {quad.object} .\n".encode())
                continue
            batch.append(quad.triple)
            if len(batch) >= size:
                yield _ntriples(batch), len(batch)
                batch = []
    except SyntaxError as error:
        raise SocieuxError(f"{path}: cannot parse: {' '.join(str(error).split())[:300]}") from None
    if batch:
        yield _ntriples(batch), len(batch)


def _ntriples(triples: list) -> bytes:
    import pyoxigraph as ox

    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert text is not None  # given no output, serialize returns the bytes
    return text


# ---------------------------------------------------------------------------- requests


def store_message(error: urllib.error.HTTPError) -> str:
    """The store's own words from an error answer, on one line (HTML reduced to its text)."""
    body = error.read(4000).decode("utf-8", "replace")
    focus = re.search(r"<(xmp|pre)[^>]*>(.*?)</\1>", body, re.DOTALL | re.IGNORECASE)  # Virtuoso puts it there
    if focus:
        body = focus.group(2)
    elif re.search(r"<(html|body)\b", body, re.IGNORECASE):
        inner = re.search(r"<body[^>]*>(.*)</body>", body, re.DOTALL | re.IGNORECASE)
        body = re.sub(r"<[^>]+>", " ", inner.group(1) if inner else body)
    return " ".join(body.split())[:300]


@dataclass
class PushReport:
    """What a push did: the graph's triples, the requests, the seconds and the last HTTP status."""

    triples: int
    requests: int
    seconds: float
    status: int

    @property
    def rate(self) -> float:
        return self.triples / self.seconds if self.seconds > 0 else 0.0


class _Sender:
    """Sends the requests of one push. A store that wants a login answers 401 as soon as it has read
    the headers and may close the connection while the body is still going (Virtuoso does): so an
    empty POST, which adds nothing, goes first, and again after any network error, to hear the
    challenge before a body is sent."""

    def __init__(self, retries: int, timeout: float, backoff: float, say: Callable[[str], None]) -> None:
        self.auth = Authenticator()
        self.retries, self.timeout, self.backoff, self.say = retries, timeout, backoff, say
        self.probe = True

    def _request(self, method: str, url: str, body: bytes) -> int:
        """One request; raises HTTPError for a non-2xx answer, after answering a 401 challenge once."""
        for _ in range(3):  # the challenge, then a stale Digest nonce renewed at most once
            headers = {"Content-Type": NTRIPLES}
            signature = self.auth.header(method, url)
            if signature:
                headers["Authorization"] = signature
            request = urllib.request.Request(url, data=body, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.status
            except urllib.error.HTTPError as error:
                if error.code != 401:
                    raise
                error.read()
                self.auth.answer(error.headers.get_all("WWW-Authenticate") or [], signed=signature is not None)
        raise SocieuxError(f"{url}: the store kept asking to log in again")

    def send(self, method: str, url: str, body: bytes) -> int:
        """One request of the push, retrying what may pass next time."""
        attempt, last = 0, ""
        while True:
            try:
                refusal = None
                if self.probe:
                    try:
                        self._request("POST", url, b"")
                    except urllib.error.HTTPError as error:
                        refusal = error  # told only if the real request is cut off before its answer
                    self.probe = False
                try:
                    return self._request(method, url, body)
                except (urllib.error.URLError, OSError) as error:
                    if refusal is None or isinstance(error, urllib.error.HTTPError):
                        raise
                    raise refusal from None
            except urllib.error.HTTPError as error:
                detail = store_message(error)
                last = f"HTTP {error.code} {error.reason}" + (f": {detail}" if detail else "")
                if error.code not in RETRIED:
                    raise SocieuxError(f"{url}: the store refused the graph: {last}") from None
            except (urllib.error.URLError, OSError) as error:
                last = str(getattr(error, "reason", error))
                self.probe = True
            if attempt >= self.retries:
                raise SocieuxError(f"{url}: could not push after {self.retries + 1} attempts: {last}")
            delay = self.backoff * 2**attempt
            attempt += 1
            self.say(f"{url}: {last}; retrying in {delay:g} s ({attempt}/{self.retries})")
            time.sleep(delay)


def push(
    endpoint: str,
    graph_file: Path,
    graph_iri: str | None,
    retries: int = 4,
    timeout: float = 300,
    say: Callable[[str], None] = lambda message: None,
    backoff: float = 0.5,
    chunk: int = CHUNK_TRIPLES,
) -> PushReport:
    """Replace the graph ``graph_iri`` (None: the default graph) of the store with ``graph_file``,
    ``chunk`` triples a request; ``say`` hears the progress."""
    path = Path(graph_file)
    if path.suffix.lower() not in MEDIA:
        raise SocieuxError(f"{path}: push sends .ttl, .nt, .jsonld or .rdf files")
    if not path.is_file():
        hint = " (run `socieux-kg build` first)" if path.name.startswith("socieux.") else ""
        raise SocieuxError(f"{path}: no such graph file{hint}")
    url = graph_store_url(endpoint, graph_iri)
    sender = _Sender(retries, timeout, backoff, say)
    started = time.perf_counter()
    sent = requests = 0
    status = 0
    try:
        for body, count, share in chunks(path, max(1, chunk)):
            status = sender.send("PUT" if requests == 0 else "POST", url, body)
            sent, requests = sent + count, requests + 1
            elapsed = time.perf_counter() - started
            say(f"{sent:,} triples sent ({share:.0%} of {path.name}), {sent / max(elapsed, 1e-9):,.0f} triples/s")
        if requests == 0:  # an empty graph: still replace what the store holds
            status = sender.send("PUT", url, b"")
            requests = 1
    except SocieuxError as error:
        if requests:
            target = f"<{graph_iri}>" if graph_iri else "the default graph"
            raise SocieuxError(
                f"{error}; {target} now holds the first {sent:,} triples only: push again to replace it"
            ) from None
        raise
    return PushReport(sent, requests, time.perf_counter() - started, status)
