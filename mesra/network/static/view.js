/* mesra — the interactive network view (page and JupyterLab widget share this file).
 *
 * Needs the globals `graphology` (graphology 0.26 UMD) and `Sigma` (sigma 3 UMD), inlined
 * before it. Defines `mesraNetworkView.mount(element, data, options)`; `data` is the compact
 * form written by mesra/network/interactive.py (arrays, short keys, integer coordinates).
 * Every text shown comes from `data` and is set with textContent (never as HTML).
 */
(function (root) {
  "use strict";

  var GREY = "#d5d8dc";
  // 1 added, 2 removed; 0: in both states (a comparison colours nodes by state only: the types'
  // greens and reds would read as added or removed)
  var ETAT_COLOURS = { 0: "#8d949c", 1: "#1a9641", 2: "#d7191c" };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function norm(s) {
    return String(s).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").trim();
  }

  function decode(data) {
    var n = data.n, e = data.e, nodes = [], edges = [], i;
    for (i = 0; i < n.id.length; i++) {
      nodes.push({
        i: i, id: n.id[i], label: n.l[i], name: n.f[i] || n.l[i], x: n.x[i], y: n.y[i], type: n.t[i], echelon: n.e[i],
        group: n.g[i], terr: n.r[i], size: n.s[i] / 10, ext: n.o[i] === 1, etat: n.st ? n.st[i] : 0, edges: []
      });
    }
    for (i = 0; i < e.a.length; i++) {
      var edge = {
        i: i, a: e.a[i], b: e.b[i], kinds: e.k[i], weight: e.w[i], att: e.q[i],
        etat: e.st ? e.st[i] : 0, ctx: e.c ? e.c[i] || [] : [], src: e.s ? e.s[i] || [] : []
      };
      edges.push(edge);
      nodes[edge.a].edges.push(i);
      nodes[edge.b].edges.push(i);
    }
    return { nodes: nodes, edges: edges };
  }

  function hasWebGL() {
    try {
      var c = document.createElement("canvas");
      return !!(c.getContext("webgl2") || c.getContext("webgl"));
    } catch (err) {
      return false;
    }
  }

  function mount(container, data, options) {
    options = options || {};
    var L = data.lab, g = decode(data), kinds = data.kinds, listeners = [];
    if (!hasWebGL()) { // said in the page, not thrown: the static figure shows the network
      container.classList.add("mesra-vue");
      container.textContent = "";
      container.appendChild(el("p", "mesra-vue-aide", L.noWebgl));
      return null;
    }
    var state = {
      kinds: kinds.map(function () { return true; }),
      echelons: data.echelons.map(function () { return true; }).concat([true]), // last: not given
      atts: data.atts.map(function () { return true; }),
      group: -1, selected: null, hovered: null
    };

    container.classList.add("mesra-vue");
    container.textContent = "";
    var bar = el("div", "mesra-vue-barre");
    var search = el("input", "mesra-vue-recherche");
    search.type = "search";
    search.placeholder = L.search;
    search.setAttribute("aria-label", L.search);
    var listId = "mesra-vue-liste-" + Math.random().toString(36).slice(2);
    search.setAttribute("list", listId);
    var datalist = el("datalist");
    datalist.id = listId;
    var byName = {};
    g.nodes.forEach(function (nd) {
      var o = el("option");
      o.value = nd.name;
      datalist.appendChild(o);
      byName[norm(nd.name)] = nd.i;
      if (byName[norm(nd.label)] === undefined) byName[norm(nd.label)] = nd.i;
      if (byName[norm(nd.id)] === undefined) byName[norm(nd.id)] = nd.i;
    });
    bar.appendChild(search);
    bar.appendChild(datalist);
    var clear = el("button", "mesra-vue-effacer", L.clear);
    clear.type = "button";
    bar.appendChild(clear);
    var groupSelect = el("select", "mesra-vue-groupe");
    groupSelect.setAttribute("aria-label", L.groups);
    var all = el("option", null, L.allGroups);
    all.value = "-1";
    groupSelect.appendChild(all);
    data.groups.forEach(function (name, i) {
      var o = el("option", null, name);
      o.value = String(i);
      groupSelect.appendChild(o);
    });
    if (data.groups.length) bar.appendChild(groupSelect);
    var status = el("span", "mesra-vue-etat");
    status.setAttribute("aria-live", "polite");
    bar.appendChild(status);
    container.appendChild(bar);

    var filters = el("div", "mesra-vue-filtres");
    function checkboxes(title, labels, target, cls, present) {
      var box = el("fieldset", cls);
      box.appendChild(el("legend", null, title));
      labels.forEach(function (label, i) {
        if (present && !present[i]) return;
        var lab = el("label");
        var cb = el("input");
        cb.type = "checkbox";
        cb.checked = true;
        cb.value = String(i);
        cb.addEventListener("change", function () { target[i] = cb.checked; refresh(); });
        lab.appendChild(cb);
        lab.appendChild(document.createTextNode(" " + label));
        box.appendChild(lab);
      });
      filters.appendChild(box);
    }
    checkboxes(L.kinds, kinds.map(function (k) { return k[1]; }), state.kinds, "mesra-vue-f-liens");
    var attsSeen = data.atts.map(function () { return false; });
    g.edges.forEach(function (ed) { attsSeen[ed.att] = true; });
    checkboxes(L.atts, data.atts, state.atts, "mesra-vue-f-connus", attsSeen);
    checkboxes(L.echelons, data.echelons.concat([L.noEchelon]), state.echelons, "mesra-vue-f-echelons");
    container.appendChild(filters);

    var body = el("div", "mesra-vue-corps");
    var stage = el("div", "mesra-vue-graphe");
    stage.setAttribute("role", "img");
    stage.setAttribute("aria-label", L.aria);
    var card = el("aside", "mesra-vue-fiche");
    card.appendChild(el("p", "mesra-vue-aide", L.help));
    body.appendChild(stage);
    body.appendChild(card);
    container.appendChild(body);
    var tip = el("div", "mesra-vue-bulle");
    tip.hidden = true;
    stage.appendChild(tip);

    var legend = el("div", "mesra-vue-legende");
    (data.hasEtat ? [] : data.typeGroups).forEach(function (tg) {
      var item = el("span", "mesra-vue-cle");
      var dot = el("span", "mesra-vue-pastille");
      dot.style.background = tg[1];
      item.appendChild(dot);
      item.appendChild(document.createTextNode(tg[0]));
      legend.appendChild(item);
    });
    if (data.hasEtat) {
      [[0, L.both], [1, L.added], [2, L.removed]].forEach(function (p) {
        var item = el("span", "mesra-vue-cle");
        var dot = el("span", "mesra-vue-pastille");
        dot.style.background = ETAT_COLOURS[p[0]];
        item.appendChild(dot);
        item.appendChild(document.createTextNode(p[1]));
        legend.appendChild(item);
      });
    }
    legend.appendChild(el("span", "mesra-vue-note", L.legendNote));
    if (data.hasEtat && L.etatNote) legend.appendChild(el("span", "mesra-vue-note", L.etatNote));
    container.appendChild(legend);

    var graph = new root.graphology.Graph({ type: "undirected", multi: false, allowSelfLoops: false });
    g.nodes.forEach(function (nd) {
      graph.addNode(String(nd.i), {
        x: nd.x, y: nd.y, size: nd.size, label: nd.label,
        color: data.hasEtat ? ETAT_COLOURS[nd.etat || 0] : data.colours[nd.type]
      });
    });
    g.edges.forEach(function (ed) {
      graph.addEdgeWithKey(String(ed.i), String(ed.a), String(ed.b), {
        size: Math.min(4, 0.5 + 0.5 * ed.weight),
        color: ed.etat ? ETAT_COLOURS[ed.etat] : ed.att === 0 ? "#9aa0a6" : "#c9b27c"
      });
    });

    var edgeVisible = new Uint8Array(g.edges.length), nodeVisible = new Uint8Array(g.nodes.length);
    var neighbours = null;

    function nodePasses(nd) {
      var ech = nd.echelon < 0 ? state.echelons.length - 1 : nd.echelon;
      if (!state.echelons[ech]) return false;
      return state.group < 0 || nd.group === state.group;
    }
    function edgePasses(ed) {
      if (!state.atts[ed.att]) return false;
      var any = false;
      for (var k = 0; k < kinds.length; k++) if (state.kinds[k] && (ed.kinds & (1 << k))) any = true;
      return any && nodeVisible[ed.a] && nodeVisible[ed.b];
    }
    function computeVisible() {
      var nv = 0, ev = 0;
      g.nodes.forEach(function (nd) { nodeVisible[nd.i] = nodePasses(nd) ? 1 : 0; nv += nodeVisible[nd.i]; });
      g.edges.forEach(function (ed) { edgeVisible[ed.i] = edgePasses(ed) ? 1 : 0; ev += edgeVisible[ed.i]; });
      return [nv, ev];
    }

    if (!stage.clientHeight) stage.style.height = "560px"; // the stylesheet not applied yet
    var renderer = new root.Sigma(graph, stage, {
      allowInvalidContainer: true,
      renderEdgeLabels: false,
      labelRenderedSizeThreshold: 6,
      labelDensity: 0.5,
      zIndex: true,
      nodeReducer: function (key, attrs) {
        var i = +key, res = Object.assign({}, attrs);
        if (!nodeVisible[i]) { res.hidden = true; return res; }
        if (neighbours) {
          if (neighbours[i]) { res.zIndex = 1; res.forceLabel = true; }
          else { res.color = GREY; res.label = ""; res.zIndex = 0; }
        }
        if (state.selected === i) res.highlighted = true;
        return res;
      },
      edgeReducer: function (key, attrs) {
        var i = +key, ed = g.edges[i], res = Object.assign({}, attrs);
        if (!edgeVisible[i]) { res.hidden = true; return res; }
        if (neighbours && ed.a !== state.selected && ed.b !== state.selected) res.hidden = true;
        return res;
      }
    });

    var counts = [0, 0];
    function refresh() {
      counts = computeVisible();
      var sel = state.selected;
      if (sel !== null) {
        neighbours = {};
        neighbours[sel] = true;
        g.nodes[sel].edges.forEach(function (ei) {
          if (edgeVisible[ei]) { neighbours[g.edges[ei].a] = true; neighbours[g.edges[ei].b] = true; }
        });
      } else neighbours = null;
      status.textContent = L.shown.replace("{n}", counts[0]).replace("{m}", counts[1]);
      renderer.refresh();
    }

    function line(parent, text, cls) { parent.appendChild(el("p", cls, text)); }
    function sourceList(parent, srcs) {
      srcs.forEach(function (si) {
        var q = el("blockquote", "mesra-vue-source");
        var text = data.quotes[si];
        q.textContent = text ? "« " + text + " »" : "";
        q.appendChild(el("cite", null, " " + data.sources[si]));
        parent.appendChild(q);
      });
    }
    function showCard(i) {
      card.textContent = "";
      if (i === null) { card.appendChild(el("p", "mesra-vue-aide", L.help)); return; }
      var nd = g.nodes[i];
      card.appendChild(el("h4", null, nd.name));
      var facts = [data.types[nd.type], data.territories[nd.terr] || L.noTerritory];
      if (nd.echelon >= 0) facts.push(L.echelon + " " + data.echelons[nd.echelon].toLowerCase());
      if (nd.group >= 0) facts.push(L.group + " " + data.groups[nd.group]);
      if (nd.ext) facts.push(L.external);
      if (nd.etat) facts.push(nd.etat === 1 ? L.added : L.removed);
      line(card, facts.join(" · "), "mesra-vue-faits");
      var byKind = {};
      nd.edges.forEach(function (ei) {
        var ed = g.edges[ei];
        for (var k = 0; k < kinds.length; k++) if (ed.kinds & (1 << k)) (byKind[k] = byKind[k] || []).push(ed);
      });
      var extra = (data.x && data.x[String(i)]) || [];
      if (!nd.edges.length && !extra.length) line(card, L.noTie);
      for (var k = 0; k < kinds.length; k++) {
        if (!byKind[k]) continue;
        card.appendChild(el("h5", null, kinds[k][1] + " (" + byKind[k].length + ")"));
        var ul = el("ul");
        byKind[k].forEach(function (ed) {
          var other = g.nodes[ed.a === i ? ed.b : ed.a];
          var li = el("li");
          var who = el("button", "mesra-vue-lien", other.name);
          who.type = "button";
          who.addEventListener("click", function () { select(other.i, true); });
          li.appendChild(who);
          var how = " — " + data.atts[ed.att].toLowerCase();
          if (ed.etat) how += " · " + (ed.etat === 1 ? L.added : L.removed).toLowerCase();
          if (kinds[k][0] === "contexte" && ed.ctx.length)
            how += " : " + ed.ctx.map(function (c) { return data.contexts[c]; }).join(", ");
          li.appendChild(document.createTextNode(how));
          sourceList(li, ed.src);
          ul.appendChild(li);
        });
        card.appendChild(ul);
      }
      var groups = {};
      extra.forEach(function (x) { (groups[x[0]] = groups[x[0]] || []).push(x); });
      [[1, L.practices], [0, L.leads]].forEach(function (p) {
        var items = groups[p[0]];
        if (!items) return;
        card.appendChild(el("h5", null, p[1]));
        var ul = el("ul");
        items.forEach(function (x) {
          var li = el("li", null, x[1] + " " + x[2] + " — " + data.atts[x[3]].toLowerCase());
          sourceList(li, x[4] || []);
          ul.appendChild(li);
        });
        card.appendChild(ul);
      });
    }

    function select(i, move) {
      state.selected = i;
      showCard(i);
      refresh();
      if (i !== null && move) {
        var d = renderer.getNodeDisplayData(String(i));
        if (d) renderer.getCamera().animate({ x: d.x, y: d.y, ratio: 0.5 }, { duration: 300 });
      }
      var id = i === null ? null : g.nodes[i].id;
      listeners.forEach(function (f) { f(id); });
    }

    search.addEventListener("change", function () {
      var i = byName[norm(search.value)];
      if (i !== undefined) select(i, true);
    });
    search.addEventListener("keydown", function (ev) {
      if (ev.key !== "Enter") return;
      var q = norm(search.value), i = byName[q];
      if (i === undefined && q) {
        for (var j = 0; j < g.nodes.length; j++) if (norm(g.nodes[j].name).indexOf(q) >= 0 || norm(g.nodes[j].label).indexOf(q) >= 0) { i = j; break; }
      }
      if (i !== undefined) select(i, true);
    });
    clear.addEventListener("click", function () {
      search.value = "";
      select(null, false);
      renderer.getCamera().animatedReset({ duration: 300 });
    });
    groupSelect.addEventListener("change", function () { state.group = +groupSelect.value; refresh(); });

    renderer.on("enterNode", function (ev) {
      var nd = g.nodes[+ev.node];
      tip.textContent = "";
      tip.appendChild(el("strong", null, nd.name));
      tip.appendChild(el("span", null, data.types[nd.type]));
      tip.appendChild(el("span", null, data.territories[nd.terr] || L.noTerritory));
      var d = renderer.graphToViewport(renderer.getNodeDisplayData(ev.node));
      tip.style.left = Math.round(d.x + 12) + "px";
      tip.style.top = Math.round(d.y + 12) + "px";
      tip.hidden = false;
      stage.style.cursor = "pointer";
    });
    renderer.on("leaveNode", function () { tip.hidden = true; stage.style.cursor = ""; });
    renderer.on("clickNode", function (ev) { select(+ev.node, false); });
    renderer.on("clickStage", function () { select(null, false); });

    refresh();
    var api = {
      sigma: renderer,
      graph: graph,
      select: function (id) {
        if (id === null || id === undefined) return select(null, false);
        for (var j = 0; j < g.nodes.length; j++) if (g.nodes[j].id === id) return select(j, true);
      },
      selected: function () { return state.selected === null ? null : g.nodes[state.selected].id; },
      onSelect: function (f) { listeners.push(f); },
      counts: function () { return { nodes: counts[0], edges: counts[1] }; },
      destroy: function () { renderer.kill(); container.textContent = ""; }
    };
    (root.mesraViews = root.mesraViews || []).push(api);
    return api;
  }

  root.mesraNetworkView = { mount: mount };
})(typeof globalThis !== "undefined" ? globalThis : window);
