// The behaviour of a socieux-kg network page. Everything it shows is in the page's JSON
// (#graph-data): positions computed in Python (physics stays off), the actions behind each node
// and link with their evidence, the facet values of each action, the overview's groups and, for
// the country views, the map. Nothing is fetched.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var body = document.body;
  var N = data.nodes, E = data.edges, A = data.actions;
  var groups = data.groups || [];
  var FACETS = [
    ["theme", "All themes"],
    ["type", "All types of assistance"],
    ["region", "All partner regions"],
    ["side", "Experts from anywhere"],
    ["country", "All countries"],
  ];

  function counted(n, word) {  // "1 link", "2 links"
    return n + " " + word + (n === 1 ? "" : "s");
  }
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ------------------------------------------------------------------ indexes
  var nodeIndex = new Map();
  N.forEach(function (n, i) {
    nodeIndex.set(n.id, i);
    if (n.own === undefined) n.own = -1;
    if (n.group_index === undefined) n.group_index = -1;
    n.base = {x: n.x, y: n.y};
  });
  var incident = N.map(function () { return []; });
  E.forEach(function (e, i) {
    e.s = nodeIndex.get(e.from);
    e.t = nodeIndex.get(e.to);
    incident[e.s].push(i);
    incident[e.t].push(i);
  });
  var keyIndex = new Map();
  data.keys.forEach(function (k, i) { keyIndex.set(k[0], i); });
  var names = null;  // every label of every node, folded: made at the first search, not before the first drawing

  // ------------------------------------------------------------------ the network
  // The data sets hold only what is on the canvas: vis-network builds an object for every node
  // and link it is given, hidden or not, and that, not drawing, is what costs time on a large view.
  var LABEL_PX = 13;  // labels on the screen, whatever the zoom
  var inside = {ellipse: true, box: true, circle: true};  // shapes that hold their label
  var visNodes = new vis.DataSet();
  var visEdges = new vis.DataSet();
  // the overview's links: a node to another group, and a group to another group, each standing
  // for the links it gathers
  var aggregates = [];
  if (groups.length) {
    var gathered = new Map();
    E.forEach(function (e, i) {
      var gs = N[e.s].group_index, gt = N[e.t].group_index;
      if (gs === gt) return;
      var ends = [];
      if (gt >= 0) ends.push([e.from, "group:" + gt, -1, gt, e.s]);
      if (gs >= 0) ends.push(["group:" + gs, e.to, gs, -1, e.t]);
      if (gs >= 0 && gt >= 0) ends.push(["group:" + gs, "group:" + gt, gs, gt, -1]);
      ends.forEach(function (end) {
        var key = end[0] + "|" + end[1];
        var found = gathered.get(key);
        if (!found) {
          found = {id: "agg" + gathered.size, from: end[0], to: end[1], gs: end[2], gt: end[3], node: end[4], under: []};
          gathered.set(key, found);
          aggregates.push(found);
        }
        found.under.push(i);
      });
    });
  }
  var container = document.getElementById("network");
  var panelBox = document.getElementById("panel");
  function fitBar() {  // the header wraps on narrow windows: the canvas starts below it
    var height = document.getElementById("bar").offsetHeight + "px";
    container.style.top = height;
    panelBox.style.top = height;
  }
  fitBar();
  window.addEventListener("resize", fitBar);
  // a selected or hovered link stands out in red over the others (a function: JSON cannot hold it)
  data.options.edges.chosen = {
    edge: function (values) { values.color = "#d62728"; values.opacity = 1; values.width += 2; },
  };
  var network = new vis.Network(container, {nodes: visNodes, edges: visEdges}, data.options);

  network.once("afterDrawing", function () {
    body.dataset.firstDraw = String(Math.round(performance.now()));
  });

  // the map: a light outline of the land under the countries
  var outline = data.map ? data.map.outline : [];
  network.on("beforeDrawing", function (ctx) {
    if (state.layout !== "map" || state.mode === "ego") return;
    ctx.save();
    ctx.fillStyle = "#eef1f4";
    ctx.strokeStyle = "#c3cad3";
    ctx.lineWidth = 1 / network.getScale();
    ctx.beginPath();
    outline.forEach(function (ring) {
      ctx.moveTo(ring[0], ring[1]);
      for (var k = 2; k < ring.length; k += 2) ctx.lineTo(ring[k], ring[k + 1]);
      ctx.closePath();
    });
    ctx.fill();
    ctx.stroke();
    ctx.restore();
  });

  // ------------------------------------------------------------------ state
  var state = {
    facet: {theme: -1, type: -1, region: -1, side: -1, country: -1},
    years: {from: 0, to: 0},  // the year range (0: open on that side)
    types: new Set(data.types.map(function (t) { return t[0]; })),
    mode: groups.length ? "overview" : "all",
    open: new Set(),
    ego: null,
    layout: data.map ? data.map.first : "force",
  };
  var labelScale = 0;
  var current = {ok: null, count: null, facetVisible: null, edgeSeen: null, shown: null};
  var inNode = new Uint8Array(N.length), inEdge = new Uint8Array(E.length);
  var inGroup = groups.map(function () { return false; }), inAggregate = aggregates.map(function () { return 0; });
  var sizeNow = new Float64Array(N.length), widthNow = new Float64Array(E.length);

  function edgeTitle(e, count) {
    var a = N[e.s].label, b = N[e.t].label;
    var arrow = data.directed ? " → " : " — ";
    var text = a + arrow + b + "\n" + e.kind;
    if (data.weighted) text += ": " + count + (count === 1 ? " action" : " actions");
    return text + "\nclick: the actions behind it";
  }

  function filtering() {
    var f = state.facet;
    return f.theme >= 0 || f.type >= 0 || f.region >= 0 || f.side >= 0 || f.country >= 0 ||
      state.years.from > 0 || state.years.to > 0;
  }
  // an action passes the year range when it has a year within it (an action with no year never does)
  function yearPasses(year) {
    var y = state.years;
    if (y.from <= 0 && y.to <= 0) return true;
    return year > 0 && (y.from <= 0 || year >= y.from) && (y.to <= 0 || year <= y.to);
  }

  // which actions pass the facets (null: no facet chosen, all pass)
  function passing() {
    if (!filtering()) return null;
    var f = state.facet;
    var ok = new Uint8Array(A.length);
    for (var i = 0; i < A.length; i++) {
      var a = A[i];  // [title, code, sources, institutions, facts, themes, types, region, sides, countries, year]
      ok[i] = (f.theme < 0 || a[5].indexOf(f.theme) >= 0) && (f.type < 0 || a[6].indexOf(f.type) >= 0) &&
        (f.region < 0 || a[7] === f.region) && (f.side < 0 || a[8].indexOf(f.side) >= 0) &&
        (f.country < 0 || a[9].indexOf(f.country) >= 0) && yearPasses(a[10]) ? 1 : 0;
    }
    return ok;
  }

  // the weight of each link under the facets: the actions behind it that pass (0: hidden); a link
  // to an action node stands only while that action passes
  function liveCounts(ok) {
    var count = new Int32Array(E.length);
    for (var i = 0; i < E.length; i++) {
      var e = E[i];
      if (!ok) { count[i] = e.w; continue; }
      if (state.facet.side >= 0 && e.sd && e.sd.indexOf(state.facet.side) < 0) continue;
      var c = 0;
      for (var k = 0; k < e.a.length; k++) c += ok[e.a[k]];
      var s = N[e.s].own, t = N[e.t].own;
      if ((s >= 0 && !ok[s]) || (t >= 0 && !ok[t])) c = 0;
      count[i] = data.weighted ? c : (c > 0 ? 1 : 0);
    }
    return count;
  }

  // a node stays under the facets if it is a passing action, or has a link that stays
  function computeFacetVisible(ok, count) {
    var seen = new Uint8Array(N.length);
    for (var i = 0; i < N.length; i++) {
      var n = N[i];
      if (!state.types.has(n.kind)) continue;
      if (!ok) { seen[i] = 1; continue; }
      if (n.own >= 0) { seen[i] = ok[n.own]; continue; }
      var inc = incident[i];
      for (var k = 0; k < inc.length; k++) if (count[inc[k]] > 0) { seen[i] = 1; break; }
    }
    return seen;
  }

  function nodeItem(i, size, where) {
    var n = N[i];
    var item = {id: n.id, shape: n.shape, color: n.color, size: size, x: where[0], y: where[1], title: n.title};
    if (inside[n.shape]) {
      item.label = n.label;
      item.font = {size: LABEL_PX / (labelScale || 1), color: "#ffffff", strokeWidth: 0};
    }
    return item;
  }
  function groupItem(k) {
    var g = groups[k];
    return {id: "group:" + k, title: g.title, shape: "dot", size: g.size, x: g.x, y: g.y,
            color: {background: "#dfe6ef", border: "#7b8da6"}, borderWidth: 2};
  }

  // ------------------------------------------------------------------ what is shown
  function refresh(options) {
    options = options || {};
    var ok = passing();
    var count = liveCounts(ok);
    var seen = computeFacetVisible(ok, count);
    var edgeSeen = new Uint8Array(E.length);
    var nNodes = 0, nEdges = 0;
    for (var i = 0; i < N.length; i++) nNodes += seen[i];
    for (var j = 0; j < E.length; j++) {
      var e = E[j];
      edgeSeen[j] = count[j] > 0 && seen[e.s] && seen[e.t] ? 1 : 0;
      nEdges += edgeSeen[j];
    }
    current = {ok: ok, count: count, facetVisible: seen, edgeSeen: edgeSeen, shown: null};
    var counts = document.getElementById("counts");
    counts.textContent = counted(nNodes, "node") + ", " + counted(nEdges, "link") +
      (filtering() ? " pass the filters (of " + N.length + " and " + E.length + ")" : "");
    counts.dataset.nodes = String(nNodes);
    counts.dataset.links = String(nEdges);

    var shown = new Uint8Array(N.length);
    var groupShown = groups.map(function () { return false; });
    var modeNote = "";
    if (state.mode === "ego" && state.ego) {
      var reached = egoNodes(seen, edgeSeen);
      reached.forEach(function (r) { shown[r] = 1; });
      modeNote = "Neighbourhood of " + N[state.ego.root].label + ": " + reached.size +
        " nodes. Double-click a node to open its neighbours.";
    } else if (state.mode === "overview") {
      var groupSize = groups.map(function () { return 0; });
      for (var m = 0; m < N.length; m++) {
        var g = N[m].group_index;
        if (!seen[m]) continue;
        if (g < 0 || state.open.has(g)) shown[m] = 1;
        else groupSize[g]++;
      }
      groups.forEach(function (_, k) { groupShown[k] = groupSize[k] > 0; });
      modeNote = "Overview: " + groupShown.filter(Boolean).length +
        " groups (communities). Click a group to open it; double-click a node for its neighbourhood.";
    } else {
      for (var q = 0; q < N.length; q++) shown[q] = seen[q];
    }
    document.getElementById("mode-note").textContent = modeNote;
    current.shown = shown;

    // positions: the ego mode's rings, or the layout's (map or force), or where the node was left
    var ego = state.mode === "ego" && state.ego ? radialLayout(shown, edgeSeen) : null;
    if (ego || options.place) stopForces();  // a re-layout still running would pull them away
    var leaving = [];
    for (var r = 0; r < N.length; r++) if (inNode[r] && !shown[r]) leaving.push(N[r].id);
    if (leaving.length) {
      var left = network.getPositions(leaving);
      leaving.forEach(function (id) { var n = N[nodeIndex.get(id)]; n.cur = [left[id].x, left[id].y]; });
    }
    if (options.place) N.forEach(function (n) { n.cur = null; });

    var edgeRemove = [], edgeAdd = [], edgeUpdate = [];
    var shownEdges = 0;
    for (var s = 0; s < E.length; s++) {
      var ed = E[s];
      var visible = edgeSeen[s] && shown[ed.s] && shown[ed.t];
      var w = width(count[s]);
      if (visible) {
        shownEdges++;
        if (!inEdge[s]) {
          edgeAdd.push({id: ed.id, from: ed.from, to: ed.to, width: w, title: edgeTitle(ed, count[s])});
        } else if (widthNow[s] !== w) {
          edgeUpdate.push({id: ed.id, width: w, title: edgeTitle(ed, count[s])});
        }
        widthNow[s] = w;
      } else if (inEdge[s]) {
        edgeRemove.push(ed.id);
      }
      inEdge[s] = visible ? 1 : 0;
    }
    aggregates.forEach(function (a, k) {
      var live = 0;
      a.under.forEach(function (u) { if (edgeSeen[u]) live++; });
      var endsShown = a.gs >= 0 && a.gt >= 0 ? groupShown[a.gs] && groupShown[a.gt]
        : a.gs < 0 ? shown[a.node] && groupShown[a.gt] : groupShown[a.gs] && shown[a.node];
      var visible = state.mode === "overview" && live > 0 && endsShown ? live : 0;
      if (visible && !inAggregate[k]) {
        edgeAdd.push({id: a.id, from: a.from, to: a.to, width: width(live), title: counted(live, "link"),
                      color: {color: "#8a99ad", opacity: 0.5}, arrows: {to: {enabled: false}}});
      } else if (visible && inAggregate[k] !== live) {
        edgeUpdate.push({id: a.id, width: width(live), title: counted(live, "link")});
      } else if (!visible && inAggregate[k]) {
        edgeRemove.push(a.id);
      }
      inAggregate[k] = visible;
    });

    var nodeRemove = [], nodeAdd = [], nodeUpdate = [];
    for (var t = 0; t < N.length; t++) {
      var n = N[t];
      var onMap = state.layout === "map" && n.msize !== undefined;
      var size = ok && data.weighted ? sizeFor(t, count, onMap) : onMap ? n.msize : n.size;
      var at = ego ? ego.get(t) : null;
      if (shown[t]) {
        if (!inNode[t]) {
          nodeAdd.push(nodeItem(t, size, at || n.cur || basePosition(n)));
        } else if (at || options.place || sizeNow[t] !== size) {
          var update = {id: n.id, size: size};
          var where = at || (options.place ? basePosition(n) : null);
          if (where) { update.x = where[0]; update.y = where[1]; }
          nodeUpdate.push(update);
        }
        sizeNow[t] = size;
      } else if (inNode[t]) {
        nodeRemove.push(n.id);
      }
      inNode[t] = shown[t];
    }
    groups.forEach(function (_, k) {
      if (groupShown[k] && !inGroup[k]) nodeAdd.push(groupItem(k));
      else if (!groupShown[k] && inGroup[k]) nodeRemove.push("group:" + k);
      inGroup[k] = groupShown[k];
    });
    if (edgeRemove.length) visEdges.remove(edgeRemove);
    if (nodeRemove.length) visNodes.remove(nodeRemove);
    if (nodeAdd.length) visNodes.add(nodeAdd);
    if (nodeUpdate.length) visNodes.update(nodeUpdate);
    if (edgeAdd.length) visEdges.add(edgeAdd);
    if (edgeUpdate.length) visEdges.update(edgeUpdate);

    body.dataset.shownNodes = String(visNodes.length);
    body.dataset.shownEdges = String(shownEdges);
    if (options.fit) fit();
    scheduleLabels();
  }

  // everything in view, with a margin for the labels under the nodes at the edges
  function fit() {
    network.fit({animation: false});
    network.moveTo({scale: network.getScale() * 0.92, animation: false});
  }

  // the formulas of pages.py: a link's width against the heaviest link's, sizes against the heaviest node's
  function width(count) {
    if (data.widest <= 1) return 1;
    return Math.round((1 + 6 * Math.sqrt(Math.max(count, 1) / data.widest)) * 100) / 100;
  }

  // the size a node would have been given in Python with the weights under the filter
  function sizeFor(i, count, onMap) {
    var total = 0;
    incident[i].forEach(function (k) { total += count[k]; });
    if (!total) return onMap ? N[i].msize : N[i].size;
    if (onMap) return Math.round((4 + 22 * Math.sqrt(total / data.heaviest)) * 100) / 100;
    var raw = 8 + 5 * Math.sqrt(total);
    return Math.round((8 + (raw - 8) * data.shrink) * 100) / 100;
  }

  function basePosition(n) {
    return state.layout === "map" && n.mx !== undefined ? [n.mx, n.my] : [n.base.x, n.base.y];
  }

  // ------------------------------------------------------------------ labels that can be read
  // The page draws the labels itself, at a readable size on the screen whatever the zoom: the
  // heaviest nodes first, each below, above, right or left of its node where it overlaps no label
  // or labelled node already placed; the others wait until the zoom makes room for them.
  // (Shapes that hold their label inside, ellipses and the overview's groups, keep vis' label.)
  var labelTimer = null;
  var placed = [];
  function scheduleLabels() {
    if (labelTimer) clearTimeout(labelTimer);
    labelTimer = setTimeout(placeLabels, 40);
  }
  var order = N.map(function (_, i) { return i; }).sort(function (a, b) {
    return (N[b].rank || 0) - (N[a].rank || 0) || (N[a].label < N[b].label ? -1 : 1);
  });
  var widths = null;  // label widths on the screen, measured at the first placing
  var measure = null;
  function textWidth(text) {
    if (!measure) {
      measure = document.createElement("canvas").getContext("2d");
      measure.font = LABEL_PX + "px system-ui, sans-serif";
    }
    return measure.measureText(text).width;
  }
  function placeLabels() {
    labelTimer = null;
    if (!widths) widths = N.map(function (n) { return textWidth(n.label); });
    var scale = network.getScale();
    var selected = new Set(network.getSelectedNodes());
    var rect = container.getBoundingClientRect();
    var cell = 80, grid = new Map();
    function cells(box, add) {
      var out = [];
      for (var gx = Math.floor(box[0] / cell); gx <= Math.floor(box[2] / cell); gx++) {
        for (var gy = Math.floor(box[1] / cell); gy <= Math.floor(box[3] / cell); gy++) {
          var key = gx + ":" + gy;
          if (add) { if (!grid.has(key)) grid.set(key, []); grid.get(key).push(box); } else out.push(key);
        }
      }
      return out;
    }
    function free(box) {
      var keys = cells(box, false);
      for (var k = 0; k < keys.length; k++) {
        var list = grid.get(keys[k]) || [];
        for (var m = 0; m < list.length; m++) {
          var b = list[m];
          if (box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1]) return false;
        }
      }
      return true;
    }
    var ranked = order.filter(function (i) { return current.shown && current.shown[i]; });
    ranked.sort(function (a, b) { return selected.has(N[b].id) - selected.has(N[a].id); });
    var ids = ranked.slice(0, 1500).map(function (i) { return N[i].id; });
    groups.forEach(function (_, k) { if (inGroup[k]) ids.push("group:" + k); });
    var positions = network.getPositions(ids);
    var result = [];
    var budget = Math.min(180, Math.round(rect.width * rect.height / 9000));  // labels, not a wall of text
    // a label below, above, right or left of its node, where it overlaps nothing placed
    function place(id, lines, r, force) {
      var dom = network.canvasToDOM(positions[id]);
      if (dom.x < -40 || dom.y < -40 || dom.x > rect.width + 40 || dom.y > rect.height + 40) return false;
      var disc = [dom.x - r, dom.y - r, dom.x + r, dom.y + r];
      var w = Math.max.apply(null, lines.map(function (l) { return l[1]; })) + 4, h = (LABEL_PX + 3) * lines.length;
      var candidates = [[-w / 2, r + 2], [-w / 2, -r - 2 - h], [r + 3, -h / 2], [-r - 3 - w, -h / 2]];
      for (var c = 0; c < candidates.length; c++) {
        var k = candidates[c];
        var box = [dom.x + k[0], dom.y + k[1], dom.x + k[0] + w, dom.y + k[1] + h];
        if (free(box) || (c === candidates.length - 1 && force)) {
          cells(box, true);
          cells(disc, true);
          result.push({id: id, lines: lines, dx: k[0], dy: k[1]});
          return true;
        }
      }
      return false;
    }
    // the overview's groups first, named by as many of their lines as there is room for
    groups.forEach(function (g, k) {
      if (!inGroup[k]) return;
      var lines = g.label.split("\n").map(function (line) { return [line, textWidth(line)]; });
      var last = lines.length - 1;
      var choices = [lines, lines.slice(0, 2).concat([lines[last]]), [lines[0], lines[last]], [lines[0]]];
      for (var c = 0; c < choices.length; c++) if (place("group:" + k, choices[c], g.size * scale, false)) break;
    });
    ranked.slice(0, 1500).forEach(function (i) {
      var n = N[i];
      var r = sizeNow[i] * scale;
      if (inside[n.shape]) {
        var dom = network.canvasToDOM(positions[n.id]);
        cells([dom.x - r * 2, dom.y - r, dom.x + r * 2, dom.y + r], true);
        return;
      }
      if (result.length >= budget && !selected.has(n.id)) return;
      place(n.id, [[n.label, widths[i]]], r, selected.has(n.id));
    });
    placed = result;
    body.dataset.labels = String(result.length);
    // the labels vis draws inside ellipses and under groups: the same size on the screen
    if (!labelScale || Math.abs(labelScale / scale - 1) > 0.08) {
      labelScale = scale;
      var fontUpdates = [];
      N.forEach(function (n, i) {
        if (inside[n.shape] && inNode[i]) {
          fontUpdates.push({id: n.id, font: {size: LABEL_PX / scale, color: "#ffffff", strokeWidth: 0}});
        }
      });
      if (fontUpdates.length) visNodes.update(fontUpdates);
    }
    network.redraw();
  }
  network.on("afterDrawing", function (ctx) {
    if (!placed.length) return;
    var scale = network.getScale();
    var positions = network.getPositions(placed.map(function (p) { return p.id; }));
    ctx.save();
    ctx.font = LABEL_PX / scale + "px system-ui, sans-serif";
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3 / scale;
    ctx.strokeStyle = "rgba(255,255,255,0.9)";
    ctx.fillStyle = "#1d232b";
    placed.forEach(function (p) {
      var where = positions[p.id];
      if (!where) return;
      p.lines.forEach(function (line, k) {
        var x = where.x + (p.dx + 2) / scale, y = where.y + (p.dy + 1.5 + k * (LABEL_PX + 3)) / scale;
        ctx.strokeText(line[0], x, y);
        ctx.fillText(line[0], x, y);
      });
    });
    ctx.restore();
  });
  network.on("zoom", scheduleLabels);
  network.on("dragEnd", scheduleLabels);
  network.on("resize", scheduleLabels);
  network.on("select", scheduleLabels);

  // ------------------------------------------------------------------ ego mode
  function egoNodes(seen, edgeSeen) {
    var reached = new Set();
    state.ego.expanded.forEach(function (i) {
      if (!seen[i]) return;
      reached.add(i);
      incident[i].forEach(function (k) {
        if (!edgeSeen[k]) return;
        var other = E[k].s === i ? E[k].t : E[k].s;
        reached.add(other);
      });
    });
    return reached;
  }

  // a radial tree from the root: its neighbours on a ring, the neighbours of an opened node in
  // the sector of that node, one ring further out
  function radialLayout(shown, edgeSeen) {
    var root = state.ego.root;
    var parent = new Map([[root, -1]]);
    var children = new Map();
    var queue = [root];
    var expanded = new Set(state.ego.expanded);
    while (queue.length) {
      var i = queue.shift();
      if (!expanded.has(i)) continue;
      var kids = [];
      incident[i].forEach(function (k) {
        if (!edgeSeen[k]) return;
        var other = E[k].s === i ? E[k].t : E[k].s;
        if (!shown[other] || parent.has(other)) return;
        parent.set(other, i);
        kids.push(other);
        queue.push(other);
      });
      kids.sort(function (a, b) { return (N[b].rank || 0) - (N[a].rank || 0); });
      children.set(i, kids);
    }
    var leaves = new Map();
    function count(i) {
      var kids = children.get(i) || [];
      var total = 0;
      kids.forEach(function (c) { total += count(c); });
      leaves.set(i, Math.max(1, total));
      return Math.max(1, total);
    }
    count(root);
    // a ring wide enough for the largest ring of nodes side by side
    var around = 0;
    (children.get(root) || []).forEach(function (c) { around += 2 * sizeNow[c] + 14; });
    var ring = Math.max(220, around / (2 * Math.PI), (leaves.get(root) * 30) / (2 * Math.PI));
    var placed = new Map();
    function place(i, from, to, depth) {
      var angle = (from + to) / 2;
      placed.set(i, depth === 0 ? [0, 0] : [Math.round(Math.cos(angle) * ring * depth),
                                             Math.round(Math.sin(angle) * ring * depth)]);
      var start = from;
      (children.get(i) || []).forEach(function (c) {
        var span = (to - from) * leaves.get(c) / leaves.get(i);
        place(c, start, start + span, depth + 1);
        start += span;
      });
    }
    place(root, -Math.PI / 2, Math.PI * 1.5, 0);
    return placed;
  }

  function enterEgo(i) {
    state.mode = "ego";
    state.ego = {root: i, expanded: [i], history: []};
    ensureVisible(i);
    refresh({fit: true});
    updateModeButtons();
  }
  function expandEgo(i) {
    if (state.ego.expanded.indexOf(i) >= 0) return;
    state.ego.history.push(state.ego.expanded.slice());
    state.ego.expanded.push(i);
    refresh({fit: true});
    updateModeButtons();
  }
  function backEgo() {
    if (!state.ego || !state.ego.history.length) return;
    state.ego.expanded = state.ego.history.pop();
    refresh({fit: true});
    updateModeButtons();
  }
  function leaveEgo(mode) {
    state.mode = mode;
    state.ego = null;
    refresh({fit: true, place: true});
    updateModeButtons();
  }

  // ------------------------------------------------------------------ controls
  var modes = document.getElementById("modes");
  function button(label, title, action) {
    var b = el("button", {type: "button", title: title}, label);
    b.addEventListener("click", action);
    return b;
  }
  function updateModeButtons() {
    modes.textContent = "";
    if (groups.length) {
      var ov = button("Overview", "One node per community; click a group to open it",
        function () { state.open.clear(); leaveEgo("overview"); });
      var all = button("Show all", "Every node of the view", function () { leaveEgo("all"); });
      ov.disabled = state.mode === "overview";
      all.disabled = state.mode === "all";
      modes.append(ov, all);
    }
    if (state.mode === "ego") {
      var back = button("Step back", "Undo the last opened neighbourhood", backEgo);
      back.disabled = !state.ego.history.length;
      modes.append(back, button("Reset", "Leave the neighbourhood", function () {
        leaveEgo(groups.length ? "overview" : "all");
      }));
    } else {
      modes.append(el("span", {class: "hint"}, "Double-click a node: its neighbourhood"));
    }
  }
  updateModeButtons();

  var layouts = document.getElementById("layouts");
  if (data.map) {
    [["map", "Map"], ["force", "Force layout"]].forEach(function (choice) {
      var label = el("label");
      var radio = el("input", {type: "radio", name: "layout", value: choice[0]});
      radio.checked = state.layout === choice[0];
      radio.addEventListener("change", function () {
        state.layout = choice[0];
        relayout.hidden = state.layout === "map";
        if (state.mode === "ego") leaveEgo("all"); else refresh({fit: true, place: true});
      });
      label.append(radio, " " + choice[1]);
      layouts.append(label);
    });
  }

  var forcesOn = false;
  function stopForces() {
    if (!forcesOn) return;
    forcesOn = false;
    network.stopSimulation();
    network.setOptions({physics: {enabled: false}});
  }
  var relayout = document.getElementById("relayout");
  relayout.hidden = state.layout === "map";  // forces would move the countries off the map
  relayout.addEventListener("click", function () {
    forcesOn = true;
    network.setOptions({physics: {enabled: true, stabilization: {enabled: true, iterations: 300, fit: false}}});
    network.stabilize(300);
  });
  network.on("stabilized", function () {
    stopForces();
    scheduleLabels();
  });

  var legend = document.getElementById("legend");
  data.types.forEach(function (t) {
    var label = el("label");
    var box = el("input", {type: "checkbox", class: "type", value: t[0]});
    box.checked = true;
    box.addEventListener("change", function () {
      if (box.checked) state.types.add(t[0]); else state.types.delete(t[0]);
      refresh();
    });
    var swatch = el("span", {class: "swatch"});
    swatch.style.background = t[1];
    label.append(box, swatch, t[2]);
    if (t[0] === "country") {
      var eu = el("span", {class: "swatch"});
      eu.style.background = data.eu_colour;
      eu.style.marginLeft = "6px";
      label.append(" (", eu, "EU member state)");
    }
    legend.append(label);
  });

  var facetBox = document.getElementById("facets");
  var selects = {};
  FACETS.forEach(function (f) {
    var options = data.facets[f[0]];
    var select = el("select", {id: "facet-" + f[0], "aria-label": f[1]});
    select.append(el("option", {value: "-1"}, f[1]));
    options.forEach(function (o, i) { select.append(el("option", {value: String(i)}, o[0] + " (" + o[1] + ")")); });
    select.disabled = options.length === 0;
    select.addEventListener("change", function () {
      state.facet[f[0]] = Number(select.value);
      refresh({fit: true});
      refreshPanel();
    });
    selects[f[0]] = select;
    facetBox.append(select);
  });
  // the year range: from one year to another, each end open ("any year") by default
  var yearSelects = {};
  [["from", "From: any", "Actions from this year on"], ["to", "To: any", "Actions up to this year"]].forEach(function (y) {
    var select = el("select", {id: "year-" + y[0], class: "year", "aria-label": y[2], title: y[2]});
    select.append(el("option", {value: "0"}, y[1]));
    (data.years || []).forEach(function (o) {
      select.append(el("option", {value: String(o[0])}, o[0] + " (" + o[1] + ")"));
    });
    select.disabled = !(data.years || []).length;
    select.addEventListener("change", function () {
      state.years[y[0]] = Number(select.value);
      refresh({fit: true});
      refreshPanel();
    });
    yearSelects[y[0]] = select;
    facetBox.append(select);
  });
  function clearFilters() {
    FACETS.forEach(function (f) { state.facet[f[0]] = -1; selects[f[0]].value = "-1"; });
    ["from", "to"].forEach(function (k) { state.years[k] = 0; yearSelects[k].value = "0"; });
    document.querySelectorAll("input.type").forEach(function (box) { box.checked = true; });
    data.types.forEach(function (t) { state.types.add(t[0]); });
  }
  document.getElementById("reset-filters").addEventListener("click", function () {
    clearFilters();
    refresh({fit: true});
    refreshPanel();
  });

  // ------------------------------------------------------------------ search
  var search = document.getElementById("search");
  var matches = document.getElementById("matches");
  var found = [];
  var active = 0;
  function runSearch() {
    var query = fold(search.value.trim());
    matches.textContent = "";
    matches.dataset.query = search.value;
    found = [];
    active = 0;
    if (!query) { matches.hidden = true; return; }
    if (!names) names = N.map(function (n) { return (n.names || [n.label]).map(fold); });
    for (var i = 0; i < N.length; i++) {
      var best = 9, alias = "";
      var list = names[i];
      for (var k = 0; k < list.length; k++) {
        var name = list[k];
        var at = name.indexOf(query);
        if (at < 0) continue;
        var score = name === query ? 0 : at === 0 ? 1 : /[^a-z0-9]/.test(name.charAt(at - 1)) ? 2 : 3;
        if (score < best) { best = score; alias = k ? N[i].names[k] : ""; }
      }
      if (best < 9) found.push([best, -(N[i].rank || 0), N[i].label, i, alias]);
    }
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0); });
    if (!found.length) {
      matches.append(el("li", {class: "none"}, "no match"));
      matches.hidden = false;
      network.unselectAll();
      body.dataset.search = "none";
      return;
    }
    body.dataset.search = String(found.length);
    found.slice(0, 40).forEach(function (f, k) {
      var item = el("li", {"data-node": N[f[3]].id}, N[f[3]].label);
      var kind = data.types.find(function (t) { return t[0] === N[f[3]].kind; });
      item.append(el("span", {class: "kind"}, kind ? kind[2] : N[f[3]].kind));
      if (f[4] && fold(f[4]) !== fold(N[f[3]].label)) item.append(el("span", {class: "alias"}, "“" + f[4] + "”"));
      if (k === 0) item.classList.add("active");
      item.addEventListener("mousedown", function (event) { event.preventDefault(); pick(f[3]); });
      matches.append(item);
    });
    if (found.length > 40) matches.append(el("li", {class: "none"}, (found.length - 40) + " more: type more of the name"));
    matches.hidden = false;
  }
  var searchTimer = null;
  search.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(runSearch, 80);
  });
  search.addEventListener("keydown", function (event) {
    var items = matches.querySelectorAll("li[data-node]");
    if (event.key === "Enter") {
      clearTimeout(searchTimer);
      runSearch();
      if (found.length) pick(found[Math.min(active, found.length - 1)][3]);
      event.preventDefault();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!items.length) return;
      items[active].classList.remove("active");
      active = (active + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      items[active].classList.add("active");
      items[active].scrollIntoView({block: "nearest"});
      event.preventDefault();
    } else if (event.key === "Escape") {
      matches.hidden = true;
    }
  });
  search.addEventListener("blur", function () { setTimeout(function () { matches.hidden = true; }, 150); });
  search.addEventListener("focus", function () { if (search.value.trim()) runSearch(); });

  // make a node visible whatever hides it: a facet, its type, a closed group, the ego mode
  function ensureVisible(i) {
    var n = N[i];
    if (current.facetVisible && !current.facetVisible[i]) {
      clearFilters();
      flash("Filters cleared to show " + n.label);
    }
    if (!state.types.has(n.kind)) {
      state.types.add(n.kind);
      var box = document.querySelector('input.type[value="' + n.kind + '"]');
      if (box) box.checked = true;
    }
    if (state.mode === "overview" && n.group_index >= 0) state.open.add(n.group_index);
  }
  function pick(i) {
    matches.hidden = true;
    if (state.mode === "ego") {
      state.ego = {root: i, expanded: [i], history: []};
      ensureVisible(i);
      refresh({fit: true});
      updateModeButtons();
    } else {
      ensureVisible(i);
      refresh();
    }
    network.selectNodes([N[i].id]);
    network.focus(N[i].id, {scale: Math.max(network.getScale(), 0.9), animation: false});
    body.dataset.picked = N[i].id;
    showNode(i);
    scheduleLabels();
  }
  function flash(text) {
    var note = document.getElementById("mode-note");
    note.textContent = text;
  }

  // ------------------------------------------------------------------ the side panel
  var panel = document.getElementById("panel");
  var panelBody = document.getElementById("panel-body");
  var panelState = null;
  document.getElementById("panel-close").addEventListener("click", function () {
    panel.hidden = true;
    panelState = null;
    body.classList.remove("with-panel");
    network.redraw();
  });
  function openPanel() {
    panel.hidden = false;
    if (!body.classList.contains("with-panel")) {
      body.classList.add("with-panel");
      network.setSize("100%", "100%");
      network.redraw();
    }
    panelBody.textContent = "";
    panel.scrollTop = 0;
  }
  function refreshPanel() {
    if (!panelState) return;
    if (panelState.node !== undefined) showNode(panelState.node);
    else if (panelState.edge !== undefined) showEdge(panelState.edge);
  }
  function livePart(list) {
    var ok = current.ok;
    return ok ? list.filter(function (a) { return ok[a]; }) : list;
  }
  function nodeActions(i) {
    if (N[i].own >= 0) return [N[i].own];
    var seen = new Set();
    incident[i].forEach(function (k) { E[k].a.forEach(function (a) { seen.add(a); }); });
    return Array.from(seen).sort(function (a, b) { return a - b; });
  }
  function keysOf(i) {
    var keys = [];
    var k = keyIndex.get(N[i].id);
    if (k !== undefined) keys.push(k);
    if (N[i].code) {
      var c = keyIndex.get("code:" + N[i].code);
      if (c !== undefined) keys.push(c);
    }
    return keys;
  }
  function showNode(i) {
    panelState = {node: i};
    openPanel();
    var n = N[i];
    var kind = data.types.find(function (t) { return t[0] === n.kind; });
    panelBody.append(el("h2", {}, n.names ? n.names[0] : n.label));
    var sub = (kind ? kind[2] : n.kind);
    if (n.kind === "country") sub += n.eu ? " · EU member state" : " · not an EU member state";
    panelBody.append(el("div", {class: "sub"}, sub));
    if (n.names && n.names.length > 1) {
      panelBody.append(el("div", {class: "sub"}, "Also: " + n.names.slice(1, 12).join(", ") +
        (n.names.length > 12 ? "…" : "")));
    }
    var all = nodeActions(i);
    listActions(all, keysOf(i));
  }
  function showEdge(k) {
    panelState = {edge: k};
    openPanel();
    var e = E[k];
    panelBody.append(el("h2", {}, N[e.s].label + (data.directed ? " → " : " — ") + N[e.t].label));
    panelBody.append(el("div", {class: "sub"}, e.kind));
    listActions(e.a.slice(), keysOf(e.s).concat(keysOf(e.t)));
  }
  function showGroup(k) {
    openPanel();
    panelState = null;
    var g = groups[k];
    panelBody.append(el("h2", {}, "Group of " + g.members.length + " nodes"));
    panelBody.append(el("div", {class: "sub"}, "Opened on the canvas; its members, heaviest first:"));
    var list = el("ol");
    g.members.map(function (id) { return nodeIndex.get(id); })
      .sort(function (a, b) { return (N[b].rank || 0) - (N[a].rank || 0); })
      .forEach(function (i) {
        var item = el("li", {class: "member"}, N[i].label);
        item.addEventListener("click", function () { pick(i); });
        list.append(item);
      });
    panelBody.append(list);
  }
  var PAGE = 100;
  function listActions(all, keys) {
    var live = livePart(all);
    var head = live.length + (live.length === 1 ? " action" : " actions");
    if (current.ok) head += " passing the filters (of " + all.length + ")";
    body.dataset.panelActions = String(live.length);
    panelBody.append(el("div", {class: "sub count"}, head));
    var list = el("ol", {class: "actions"});
    panelBody.append(list);
    var shownSoFar = 0;
    function more() {
      live.slice(shownSoFar, shownSoFar + PAGE).forEach(function (a) { list.append(actionItem(a, keys)); });
      shownSoFar = Math.min(live.length, shownSoFar + PAGE);
      var old = panelBody.querySelector("button.more");
      if (old) old.remove();
      if (shownSoFar < live.length) {
        panelBody.append(button("Show " + Math.min(PAGE, live.length - shownSoFar) + " more (" +
          (live.length - shownSoFar) + " left)", "", more));
        panelBody.lastChild.classList.add("more");
      }
    }
    more();
  }
  function where(file, line) { return data.files[file] + ":" + line; }
  function evidenceLines(target, ids) {
    ids.forEach(function (id) {
      var ev = data.evidence;
      var line = el("div", {class: "ev"}, data.texts[ev[3 * id]]);
      line.append(el("span", {class: "where"}, where(ev[3 * id + 1], ev[3 * id + 2])));
      target.append(line);
    });
  }
  // each fact of an action: [kind, key, evidence ids]
  function factsOf(action) {
    var flat = action[4], out = [];
    for (var p = 0; p < flat.length; p += 3 + flat[p + 2]) out.push([flat[p], flat[p + 1], flat.slice(p + 3, p + 3 + flat[p + 2])]);
    return out;
  }
  function actionItem(a, keys) {
    var action = A[a];
    var item = el("li", {class: "action", "data-action": String(a)});
    var title = el("span", {class: "title", role: "button", tabindex: "0"}, data.texts[action[0]]);
    item.append(title);
    if (action[1]) item.append(el("span", {class: "code"}, action[1]));
    action[3].forEach(function (t) { item.append(el("div", {class: "inst"}, data.texts[t])); });
    var shown = new Set();
    factsOf(action).forEach(function (f) {
      if (keys.indexOf(f[1]) < 0) return;
      var fresh = f[2].filter(function (id) { return !shown.has(id); });
      fresh.forEach(function (id) { shown.add(id); });
      evidenceLines(item, fresh);
      var fix = el("div", {class: "fix"});
      fix.append(el("span", {class: "fact"}, data.kinds[f[0]] + ": " + data.keys[f[1]][1] + " "), correctLink(action, f));
      item.append(fix);
    });
    title.addEventListener("click", function () { toggleFacts(item, action); });
    title.addEventListener("keydown", function (event) { if (event.key === "Enter") toggleFacts(item, action); });
    return item;
  }
  function toggleFacts(item, action) {
    var open = item.querySelector(".facts");
    if (open) { open.remove(); return; }
    var facts = el("dl", {class: "facts"});
    facts.append(el("dt", {}, "title"), el("dd", {}, data.texts[action[0]]));
    if (action[1]) facts.append(el("dt", {}, "action code"), el("dd", {}, action[1]));
    var sources = [];
    for (var k = 0; k < action[2].length; k += 2) sources.push(where(action[2][k], action[2][k + 1]));
    facts.append(el("dt", {}, "sources"), el("dd", {}, sources.join(", ")));
    // the facts of one kind together; each value (with "correct this") and its own sentences (a theme with the
    // sentence that supports it, a country with the sentence that names it)
    var byKind = new Map();
    factsOf(action).forEach(function (f) {
      if (!byKind.has(f[0])) byKind.set(f[0], []);
      byKind.get(f[0]).push(f);
    });
    byKind.forEach(function (entries, kind) {
      facts.append(el("dt", {}, data.kinds[kind]));
      var value = el("dd", {});
      entries.forEach(function (f) {
        var one = el("div", {class: "fact"});
        var shown = el("span", {class: "value"}, data.keys[f[1]][1] + " ");
        shown.append(correctLink(action, f));
        one.append(shown);
        evidenceLines(one, f[2]);
        value.append(one);
      });
      facts.append(value);
    });
    item.append(facts);
  }

  // ------------------------------------------------------------------ "correct this"
  // The page writes nothing: it makes the `socieux-kg correct` command of a fact and copies it.
  function shellWord(text) {
    return /^[A-Za-z0-9_.,:/@%+=-]+$/.test(text) ? text : "'" + text.replace(/'/g, "'\\''") + "'";
  }
  function correctCommand(action, kind, change, value, reason) {
    var ref = action[11] || data.texts[action[0]];  // its code, its title or its IRI
    return ["socieux-kg", "correct", shellWord(ref), data.fields[kind], "--" + change, shellWord(value),
      "--reason", shellWord(reason)].join(" ");
  }
  function copyByHand(text) {  // where the page may not use the clipboard API
    var area = el("textarea");
    area.value = text;
    document.body.append(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch { ok = false; }
    area.remove();
    return ok;
  }
  function copyText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).then(function () { return true; },
        function () { return copyByHand(text); });
    }
    return Promise.resolve(copyByHand(text));
  }
  function correctLink(action, f) {
    var link = el("a", {class: "correct-this", href: "#", role: "button",
      title: "Make the command that corrects this fact"}, "correct this");
    link.addEventListener("click", function (event) {
      event.preventDefault();
      event.stopPropagation();
      var open = link.parentNode.querySelector(".correct-box");
      if (open) { open.remove(); return; }
      link.after(correctBox(action, f));
    });
    return link;
  }
  function correctBox(action, f) {
    var kind = f[0], shown = data.keys[f[1]][2], single = data.single[kind];
    var box = el("div", {class: "correct-box"});
    var change = el("select", {class: "change"});
    change.append(el("option", {value: "remove"}, "remove " + shown));
    change.append(el("option", {value: single ? "set" : "add"}, single ? "set another value:" : "add another value:"));
    var other = el("input", {class: "value", placeholder: single ? "the right value" : "the missing value"});
    var reason = el("input", {class: "reason", placeholder: "why? (it goes into the graph with the change)"});
    var copy = el("button", {class: "copy"}, "Copy command");
    var command = el("code", {class: "command"});
    var note = el("div", {class: "copied"});
    function update() {
      other.hidden = change.value === "remove";
      var value = change.value === "remove" ? shown : other.value.trim();
      var why = reason.value.trim();
      command.textContent = correctCommand(action, kind, change.value, value || "VALUE", why || "WHY");
      copy.disabled = !why || !value;
      note.textContent = copy.disabled ? "say why (and the value) to copy the command" : "";
    }
    [change, other, reason].forEach(function (input) {
      input.addEventListener("input", update);
      input.addEventListener("change", update);
    });
    copy.addEventListener("click", function () {
      var text = command.textContent;
      copyText(text).then(function (ok) {
        box.dataset.copied = ok ? text : "";
        note.textContent = ok ? "Copied: run it in the project folder, then build again."
          : "Could not copy: select the command and copy it.";
      });
    });
    box.append(change, other, reason, copy, command, note);
    update();
    return box;
  }

  // ------------------------------------------------------------------ clicks
  network.on("click", function (params) {
    if (params.nodes.length) {
      var id = params.nodes[0];
      if (typeof id === "string" && id.indexOf("group:") === 0) {
        var k = Number(id.slice(6));
        state.open.add(k);
        refresh();
        showGroup(k);
        return;
      }
      showNode(nodeIndex.get(id));
    } else if (params.edges.length) {
      var edge = String(params.edges[0]);
      if (edge.indexOf("agg") === 0) return;
      showEdge(Number(edge.slice(1)));
    }
    scheduleLabels();
  });
  network.on("doubleClick", function (params) {
    if (!params.nodes.length) return;
    var id = params.nodes[0];
    if (typeof id === "string" && id.indexOf("group:") === 0) return;
    var i = nodeIndex.get(id);
    if (state.mode === "ego") expandEgo(i); else enterEgo(i);
  });

  window.socieuxView = {
    network: network, nodes: visNodes, edges: visEdges, data: data, state: state,
    pick: pick, showEdge: showEdge, showNode: showNode, refresh: refresh,
  };
  fitBar();  // the controls are in the header now: the canvas starts below them
  network.setSize("100%", "100%");
  refresh({fit: true, place: true});

  // opened on a node: VIEW.html#node=IRI (the resource pages of `socieux-kg site` and `serve` link so)
  function openFromHash() {
    var found = /^#node=(.+)$/.exec(window.location.hash);
    if (!found) return;
    var id = decodeURIComponent(found[1]);
    var i = nodeIndex.get(id);
    if (i === undefined) { flash("Not drawn in this view: " + id); return; }
    pick(i);
  }
  window.addEventListener("hashchange", openFromHash);
  openFromHash();
  body.dataset.ready = "yes";
})();
