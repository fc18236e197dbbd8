"""The endpoint's query page (``/``): an editor with the named queries as examples, the answer as a
table (SELECT, ASK) or as Turtle (CONSTRUCT, DESCRIBE), downloads, and errors in place of the
previous answer. One self-contained HTML page: no script or style from elsewhere, so it works
offline."""

from __future__ import annotations

import html
import json


def query_page(examples: dict[str, str]) -> bytes:
    """The page, with ``examples`` (name to query text) in its menu."""
    options = "".join(f'<option value="{html.escape(name)}">{html.escape(name)}</option>' for name in examples)
    data = json.dumps(examples, ensure_ascii=False).replace("<", "\\u003c")
    return _PAGE.replace("$options", options).replace("$examples", data).encode()


# The page asks for SPARQL JSON or Turtle and draws what comes back by its Content-Type; a download
# asks the endpoint again for the chosen format (format=csv, json, turtle or jsonld), so the file is
# exactly what any client gets. body[data-state] says what is shown (for people's scripts and tests).
_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>socieux-kg SPARQL</title>
<style>
body { font-family: system-ui, sans-serif; margin: 16px; font-size: 14px; }
textarea { width: 100%; height: 220px; font-family: monospace; font-size: 13px; }
table { border-collapse: collapse; margin-top: 12px; font-size: 12px; }
td, th { border: 1px solid #ccc; padding: 3px 6px; vertical-align: top; max-width: 420px; }
th { background: #f2f2f2; }
pre#turtle { background: #f7f7f7; border: 1px solid #ddd; padding: 8px; font-size: 12px; overflow: auto; }
#status { margin-left: 12px; color: #555; }
#error { color: #a00000; white-space: pre-wrap; font-family: monospace; margin-top: 12px; }
#downloads { margin-left: 12px; }
#downloads[hidden] { display: none; }
</style></head>
<body data-state="" data-rows="">
<h1>socieux-kg SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 over the SOCIEUX+ knowledge graph. Endpoint: <code>/sparql</code>.</p>
<label>Example: <select id="examples"><option value="">choose a named query</option>$options</select></label>
<textarea id="query" aria-label="SPARQL query">SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10</textarea>
<button id="run">Run</button><span id="status" role="status"></span>
<span id="downloads" hidden>Download:
  <button class="download" data-format="csv">CSV</button>
  <button class="download" data-format="json">JSON</button></span>
<div id="results"></div>
<script>
var examples = $examples;
var editor = document.getElementById("query");
var results = document.getElementById("results");
var statusLine = document.getElementById("status");
var downloads = document.getElementById("downloads");
var shownQuery = null;  // the query whose answer is on screen, for the downloads
document.getElementById("examples").addEventListener("change", function (e) {
  if (examples[e.target.value]) { editor.value = examples[e.target.value]; }
});
function cell(term) { return term ? term.value : ""; }
function show(state, rows) {
  document.body.dataset.state = state;
  document.body.dataset.rows = rows === undefined ? "" : String(rows);
}
function clear() { results.textContent = ""; downloads.hidden = true; shownQuery = null; }
function table(data) {
  var out = document.createElement("table");
  if (data.boolean !== undefined) {
    out.insertRow().insertCell().textContent = String(data.boolean);
    return [out, 1];
  }
  var head = out.insertRow();
  data.head.vars.forEach(function (v) {
    var th = document.createElement("th"); th.textContent = v; head.appendChild(th);
  });
  data.results.bindings.forEach(function (b) {
    var row = out.insertRow();
    data.head.vars.forEach(function (v) { row.insertCell().textContent = cell(b[v]); });
  });
  return [out, data.results.bindings.length];
}
function setDownloads(kind) {
  var choices = kind === "graph" ? [["turtle", "Turtle"], ["jsonld", "JSON-LD"]] : [["csv", "CSV"], ["json", "JSON"]];
  document.querySelectorAll("button.download").forEach(function (b, i) {
    b.dataset.format = choices[i][0]; b.textContent = choices[i][1];
  });
  downloads.hidden = false;
}
function ask(query, format, accept) {
  var body = "query=" + encodeURIComponent(query) + (format ? "&format=" + format : "");
  return fetch("/sparql", {method: "POST", body: body,
                           headers: {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept || "*/*"}})
    .then(function (r) {
      if (!r.ok) { return r.text().then(function (t) { throw new Error("HTTP " + r.status + ": " + t.trim()); }); }
      return r;
    });
}
function fail(error) {
  clear();
  var box = document.createElement("div"); box.id = "error"; box.textContent = error.message;
  results.appendChild(box);
  statusLine.textContent = "error";
  show("error");
}
// a link can carry its query: /?query=...&run=1 fills the editor and runs it
var given = new URLSearchParams(window.location.search);
if (given.get("query")) { editor.value = given.get("query"); }
document.getElementById("run").addEventListener("click", function () {
  var query = editor.value;
  var started = Date.now();
  clear();
  statusLine.textContent = "running…";
  show("running");
  ask(query, "", "application/sparql-results+json, text/turtle;q=0.9")
    .then(function (r) {
      var type = (r.headers.get("Content-Type") || "").split(";")[0].trim();
      if (type === "text/turtle") {
        return r.text().then(function (text) {
          var pre = document.createElement("pre"); pre.id = "turtle"; pre.textContent = text;
          results.appendChild(pre);
          statusLine.textContent = "Turtle in " + (Date.now() - started) + " ms";
          setDownloads("graph");
          shownQuery = query;
          show("turtle");
        });
      }
      return r.json().then(function (data) {
        var made = table(data);
        results.appendChild(made[0]);
        statusLine.textContent = made[1] + " rows in " + (Date.now() - started) + " ms";
        setDownloads(data.boolean !== undefined ? "boolean" : "rows");
        shownQuery = query;
        show(data.boolean !== undefined ? "boolean" : "table", made[1]);
      });
    })
    .catch(fail);
});
document.querySelectorAll("button.download").forEach(function (button) {
  button.addEventListener("click", function () {
    if (shownQuery === null) { return; }
    var format = button.dataset.format;
    var suffix = {csv: "csv", json: "json", turtle: "ttl", jsonld: "jsonld"}[format];
    ask(shownQuery, format).then(function (r) { return r.blob(); }).then(function (blob) {
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "results." + suffix;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    }).catch(fail);
  });
});
if (given.get("run") === "1") { document.getElementById("run").click(); }
</script>
</body></html>
"""
