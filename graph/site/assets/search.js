// The site's search: every label of the graph's resources (search-index.js: window.SOCIEUX_SEARCH,
// [label, href from the site's root, kind index] rows), matched in the browser, offline. Case and
// accents do not matter; whole-label matches first, then labels that start with the words, then the
// rest. An IRI pasted in leads to its page.
(function () {
  "use strict";
  var data = window.SOCIEUX_SEARCH || {kinds: [], rows: []};
  var root = document.querySelector("meta[name=site-root]");
  var base = root ? root.getAttribute("content") : "";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }
  var folded = null;
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  // an IRI pasted in: the page that reads it (ours under the base; a country's, the EU's IRI)
  function pageOf(text) {
    var iri = text.trim(), found;
    if ((found = /^https?:\/\/w3id\.org\/socieux-kg\/(id\/(?:action|document)\/[^\/#]+)\/((?:evidence|line)\/\S+)$/.exec(iri))) {
      return found[1] + data.suffix + "#" + found[2];
    }
    if ((found = /^https?:\/\/w3id\.org\/socieux-kg\/(id\/\S+)$/.exec(iri))) return found[1] + data.suffix;
    if ((found = /^https?:\/\/publications\.europa\.eu\/resource\/authority\/country\/([A-Z0-9]{3})$/.exec(iri))) {
      return "country/" + found[1] + data.suffix;
    }
    return null;
  }
  function run(query) {
    list.textContent = "";
    var words = fold(query);
    if (!words) { status.textContent = ""; return; }
    var direct = pageOf(query);
    if (direct) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = base + direct;
      link.textContent = "The page of " + query.trim();
      item.append(link);
      list.append(item);
      status.textContent = "An IRI: its page (a 404 page where the graph does not hold it).";
      document.body.dataset.results = "1";
      return 1;
    }
    if (!folded) folded = data.rows.map(function (row) { return fold(row[0]); });
    var parts = words.split(" ");
    var found = [];
    folded.forEach(function (label, i) {
      for (var k = 0; k < parts.length; k++) if (label.indexOf(parts[k]) < 0) return;
      var rank = label === words ? 0 : label.indexOf(words) === 0 ? 1 : label.indexOf(words) >= 0 ? 2 : 3;
      found.push([rank, label.length, i]);
    });
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    var seen = {}, shown = 0;
    found.forEach(function (f) {
      var row = data.rows[f[2]];
      if (shown >= 200 || seen[row[1]]) return;
      seen[row[1]] = true;
      shown++;
      var item = document.createElement("li");
      var a = document.createElement("a");
      a.href = base + row[1];
      a.textContent = row[0];
      item.append(a, " ");
      var kind = document.createElement("span");
      kind.className = "kind-of";
      kind.textContent = data.kinds[row[2]];
      item.append(kind);
      list.append(item);
    });
    var total = Object.keys(seen).length;
    status.textContent = shown ? (shown + (shown === 1 ? " match" : " matches") +
      (found.length > shown ? " shown" : "")) : "No match for “" + query + "”.";
    document.body.dataset.results = String(shown);
    return total;
  }
  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  var header = document.getElementById("site-search");
  if (header) header.value = query;
  run(query);
  input.addEventListener("input", function () { run(input.value); });
  document.body.dataset.ready = "yes";
})();
