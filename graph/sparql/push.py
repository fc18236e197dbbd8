"""`socieux-kg push`: load the built graph into an external triple store with the SPARQL 1.1 Graph
Store HTTP Protocol.

The graph goes in bounded chunks (``chunk`` triples a request, as N-Triples): the first request
replaces the graph (PUT), the others add to it (POST). Memory stays bounded whatever the size of the
graph, a store's request-size limit is met by a smaller chunk, and a network error or a 5xx answer
costs one chunk's retry (with doubling back-off), not the whole upload: adding the same triples twice
leaves a graph unchanged, so every request can be repeated (urllib3's ``Retry``). Triples with
blank nodes are held back and sent together in the last request, so that each blank node stays one
node in the store. A chunk counts as sent only when the store answered 2xx; a redirect is not
followed (the store's URL is the user's to give).

Credentials come from the environment only: SOCIEUX_KG_PUSH_TOKEN (a bearer token), or
SOCIEUX_KG_PUSH_USER and SOCIEUX_KG_PUSH_PASSWORD. The scheme is the one the store asks for in its
401 challenge to an empty request sent first: Bearer, Digest (requests' ``HTTPDigestAuth``;
Virtuoso's ``/sparql-graph-crud-auth``) or Basic.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth
from requests.utils import parse_dict_header, parse_list_header
from urllib3.util.retry import Retry

from graph.errors import SocieuxError
from graph.sparql.client import Session, reason, status_line

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


def parse_challenges(header: str) -> dict[str, dict[str, str]]:
    """The schemes of a ``WWW-Authenticate`` header (lower case, in order) with their parameters."""
    found: dict[str, dict[str, str]] = {}
    scheme = None
    for item in parse_list_header(header):
        head = re.match(r"([A-Za-z][\w!#$%&'*+.^`|~-]*)(?:\s+(.*))?$", item.strip())
        if head and "=" not in head.group(1):
            scheme = head.group(1).lower()
            found.setdefault(scheme, {})
            item = head.group(2) or ""
        if scheme and "=" in item:
            found[scheme].update({key.lower(): value for key, value in parse_dict_header(item).items() if value})
    return found


def _describe(scheme: str, params: Mapping[str, str]) -> str:
    realm = params.get("realm")
    return f"HTTP {scheme.capitalize()}" + (f' (realm "{realm}")' if realm else "")


class _Bearer(AuthBase):
    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


@dataclass
class Login:
    """The credentials of the environment, and the scheme a store's challenge chose."""

    token: str | None
    user: str | None
    password: str
    scheme: str = ""
    realm: Mapping[str, str] = field(default_factory=dict)  # the challenge's parameters

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Login:
        environ = os.environ if environ is None else environ
        return cls(
            environ.get("SOCIEUX_KG_PUSH_TOKEN") or None,
            environ.get("SOCIEUX_KG_PUSH_USER") or None,
            environ.get("SOCIEUX_KG_PUSH_PASSWORD") or "",
        )

    def answer(self, header: str) -> AuthBase:
        """The auth that answers this challenge, or a one-line error saying what to set."""
        offered = parse_challenges(header)
        choices = [s for s in ("bearer", "digest", "basic") if s in offered]
        usable = [s for s in choices if (self.token if s == "bearer" else self.user)]
        if usable:
            self.scheme, self.realm = usable[0], offered[usable[0]]
            if self.scheme == "bearer":
                return _Bearer(self.token or "")
            return (HTTPDigestAuth if self.scheme == "digest" else HTTPBasicAuth)(self.user or "", self.password)
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

    def refused(self) -> SocieuxError:
        check = (
            "check SOCIEUX_KG_PUSH_TOKEN"
            if self.scheme == "bearer"
            else f"check SOCIEUX_KG_PUSH_USER ({self.user}) and SOCIEUX_KG_PUSH_PASSWORD"
        )
        return SocieuxError(f"the store refused the login ({_describe(self.scheme, self.realm)}): {check}")


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


class _SayingRetry(Retry):
    """urllib3's retries, each one told to ``say`` (set on a subclass made for each push)."""

    url = ""

    @staticmethod
    def say(message: str) -> None:
        pass

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):  # noqa: ANN001
        after = super().increment(method, url, response, error, _pool, _stacktrace)  # raises when none is left
        what = f"HTTP {response.status} {response.reason}" if response is not None else reason(error)
        done = len(after.history)
        self.say(f"{self.url}: {what}; retrying in {after.get_backoff_time():g} s ({done}/{done + (after.total or 0)})")
        return after


class _Sender:
    """Sends the requests of one push on one session (its connection reused), after an empty POST
    that adds nothing and asks for the store's challenge before any data goes."""

    def __init__(self, url: str, retries: int, timeout: float, backoff: float, say: Callable[[str], None]) -> None:
        retry = type("PushRetry", (_SayingRetry,), {"url": url, "say": staticmethod(say)})(
            total=retries,
            status_forcelist=RETRIED,
            allowed_methods={"PUT", "POST"},
            backoff_factor=backoff,
            raise_on_status=False,
            respect_retry_after_header=True,
        )
        self.session = Session()
        self.session.mount("http://", HTTPAdapter(max_retries=retry))
        self.session.mount("https://", HTTPAdapter(max_retries=retry))
        self.url, self.retries, self.timeout = url, retries, timeout
        self.login = Login.from_environment()
        self.answered = False

    def _request(self, method: str, body: bytes) -> requests.Response:
        try:
            return self.session.request(
                method,
                self.url,
                data=body,
                headers={"Content-Type": NTRIPLES},
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.RequestException as error:
            attempts = self.retries + 1
            raise SocieuxError(f"{self.url}: could not push after {attempts} attempts: {reason(error)}") from None

    def send(self, method: str, body: bytes) -> int:
        """One request of the push; its status when the store took it (2xx), else a one-line error."""
        if not self.answered:  # the challenge, if any, to an empty POST (it adds nothing)
            probe = self._request("POST", b"")
            if probe.status_code == 401:
                self.session.auth = self.login.answer(probe.headers.get("WWW-Authenticate", ""))
            self.answered = True
        response = self._request(method, body)
        if response.status_code == 401 and self.session.auth is not None:
            raise self.login.refused()
        if response.status_code == 401:  # a login asked for only now
            self.session.auth = self.login.answer(response.headers.get("WWW-Authenticate", ""))
            response = self._request(method, body)
        if 200 <= response.status_code < 300:
            return response.status_code
        if response.status_code in RETRIED and self.retries:
            raise SocieuxError(f"{self.url}: could not push after {self.retries + 1} attempts: {status_line(response)}")
        raise SocieuxError(f"{self.url}: the store refused the graph: {status_line(response)}")


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
    sender = _Sender(url, retries, timeout, backoff, say)
    started = time.perf_counter()
    sent = made = 0
    status = 0
    try:
        for body, count, share in chunks(path, max(1, chunk)):
            status = sender.send("PUT" if made == 0 else "POST", body)
            sent, made = sent + count, made + 1
            elapsed = time.perf_counter() - started
            say(f"{sent:,} triples sent ({share:.0%} of {path.name}), {sent / max(elapsed, 1e-9):,.0f} triples/s")
        if made == 0:  # an empty graph: still replace what the store holds
            status = sender.send("PUT", b"")
            made = 1
    except SocieuxError as error:
        if made:
            target = f"<{graph_iri}>" if graph_iri else "the default graph"
            raise SocieuxError(
                f"{error}; {target} now holds the first {sent:,} triples only: push again to replace it"
            ) from None
        raise
    return PushReport(sent, made, time.perf_counter() - started, status)
