"""Tables for spreadsheets and dataframes: ``tables/actions.csv`` and ``tables/evidence.csv``, the
rows of the named queries ``actions`` and ``evidence`` exactly as ``socieux-kg query NAME --format
csv`` prints them, each with its W3C CSV on the Web metadata (``NAME.csv-metadata.json``): the
columns' datatypes, the separator of multi-valued cells, the property each column states.

The columns are the query's, as they are when the build runs: a column a query gains appears in its
table, declared by ``tables.toml`` when it is listed there and as a string otherwise.
"""

from __future__ import annotations

import io
import json
import tomllib
from importlib import resources as package_files
from pathlib import Path
from typing import Any

from graph.namespaces import PREFIXES
from graph.sparql.results import SEPARATOR, write_delimited

TABLES = ("actions", "evidence")
FOLDER = "tables"
_DEFAULT_COLUMN = {"datatype": "string"}


def settings() -> dict[str, Any]:
    return tomllib.loads((package_files.files("graph.site") / "tables.toml").read_text(encoding="utf-8"))


def _expand(name: str) -> str:
    prefix, _, local = name.partition(":")
    return str(PREFIXES[prefix]) + local


def metadata(table: str, columns: list[str], multi_valued: list[str]) -> dict[str, Any]:
    """The CSV on the Web metadata of a table with these columns."""
    declared = settings()[table]
    described = []
    for name in columns:
        column = declared["columns"].get(name, _DEFAULT_COLUMN)
        entry: dict[str, Any] = {"name": name, "titles": name, "datatype": column["datatype"]}
        if "minimum" in column:
            entry["datatype"] = {"base": column["datatype"], "minimum": column["minimum"]}
        if name in multi_valued:
            entry["separator"] = SEPARATOR
        if "property" in column:
            entry["propertyUrl"] = _expand(column["property"])
        if "value" in column:
            entry["valueUrl"] = column["value"]
        if "description" in column:
            entry["dc:description"] = column["description"]
        if column.get("suppress"):
            entry["suppressOutput"] = True
        described.append(entry)
    schema: dict[str, Any] = {"columns": described}
    if "about" in declared:
        schema["aboutUrl"] = declared["about"]
    if declared.get("primary_key") in columns:
        schema["primaryKey"] = declared["primary_key"]
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "url": f"{table}.csv",
        "dc:title": declared["title"],
        "dc:source": f"socieux-kg query {declared['query']} --format csv",
        "dialect": {"header": True, "delimiter": ",", "doubleQuote": True, "lineTerminators": ["\n"]},
        "tableSchema": schema,
    }


def table_files(store) -> dict[str, str]:
    """Each table and its metadata (path in the output folder → text), from an Oxigraph store."""
    from graph.sparql.query import named_queries
    from graph.sparql.store import store_answer

    queries = named_queries()
    found = {}
    for table in TABLES:
        named = queries[settings()[table]["query"]]
        answer = store_answer(store, named)
        text = io.StringIO()
        write_delimited(answer, text, ",")
        found[f"{FOLDER}/{table}.csv"] = text.getvalue()
        described = metadata(table, list(answer.columns), named.multi_valued)
        found[f"{FOLDER}/{table}.csv-metadata.json"] = json.dumps(described, indent=2, ensure_ascii=False) + "\n"
    return found


def write_tables(store_path: Path, folder: Path) -> list[str]:
    """Write the tables of the store at ``store_path`` into ``folder/tables/``; their paths."""
    from graph import files
    from graph.sparql.store import open_store

    store = open_store(store_path)
    written = []
    for name, text in table_files(store).items():
        files.write_atomic(folder / name, text)
        written.append(name)
    return written


# ---------------------------------------------------------------------------- reading them


def read_table(path: str | Path):
    """A table as a pandas DataFrame, each column typed by its metadata (``PATH-metadata.json``):
    ``string``, ``Int64`` for integers and years, ``datetime64`` for dates, ``boolean``; a column
    with a separator holds lists (empty where the cell is)."""
    import pandas as pd

    path = Path(path)
    described = json.loads(Path(f"{path}-metadata.json").read_text(encoding="utf-8"))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in described["tableSchema"]["columns"]:
        name = column["titles"]
        if name not in frame:
            continue
        datatype = column.get("datatype", "string")
        base = datatype["base"] if isinstance(datatype, dict) else datatype
        cells = frame[name]
        if "separator" in column:
            separator = column["separator"]
            frame[name] = cells.map(lambda cell, s=separator: cell.split(s) if cell else [])
        elif base in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger", "gYear"):
            frame[name] = pd.to_numeric(cells.replace("", None)).astype("Int64")
        elif base == "date":
            frame[name] = pd.to_datetime(cells.replace("", None), format="%Y-%m-%d")
        elif base == "boolean":
            frame[name] = cells.replace("", None).map({"true": True, "false": False, None: None}).astype("boolean")
        else:
            frame[name] = cells.astype("string")
    return frame
