"""Writing outputs: every file through a temporary file and a rename, so a failed or killed
build leaves the previous outputs whole."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from rdflib import Graph

from graph.errors import OutputError


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise OutputError(f"{path.parent}: cannot write there: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write: {error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def check_writable(folder: Path, create: bool = True) -> None:
    """Fail early, before any work, when ``folder`` cannot take the outputs; create it if asked."""
    if not create:
        existing = folder
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not existing.is_dir():
            raise OutputError(f"{folder}: cannot create the output folder: {existing} is not a folder")
        if not os.access(existing, os.W_OK | os.X_OK):
            raise OutputError(f"{folder}: the output folder is not writable")
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{folder}: cannot create the output folder: {error.strerror or error}") from None
    if not folder.is_dir():
        raise OutputError(f"{folder}: not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{folder}: the output folder is not writable")


def turtle(graph: Graph) -> str:
    """Turtle with every prefix declared, in a stable order (no blank nodes are ever minted)."""
    return graph.serialize(format="turtle")


def ntriples(graph: Graph) -> str:
    """N-Triples, one triple a line, sorted."""
    lines = graph.serialize(format="nt").splitlines()
    return "\n".join(sorted(line for line in lines if line.strip())) + "\n"


def jsonld(graph: Graph) -> str:
    """JSON-LD with the graph's prefixes as context, nodes and values in a stable order."""
    context = {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix}
    document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = document.get("@graph", [document] if "@id" in document else [])

    def order(value: object) -> object:
        if isinstance(value, list):
            return sorted((order(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        if isinstance(value, dict):
            return {k: order(v) for k, v in value.items()}
        return value

    nodes = sorted((order(node) for node in nodes), key=lambda node: str(node.get("@id", "")))
    return json.dumps({"@context": context, "@graph": nodes}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
