/*
 * frontmap's page script: draws a map from one JSON object (maps/render.py).
 *
 * window.frontmap = {
 *   draw(map, D, key)        draw data D on a Leaflet map; register it under key
 *   mount(hostId, opts, D)   a map inside the shadow root of element hostId
 *                            (fragments: the host page's CSS cannot reach it)
 *   show(key, i)             open the popup of place i of a map (report links)
 *   maps                     key -> {map, group, markers, areas, labels, ...}
 *   setStyles(css)           the CSS every shadow root adopts (one copy a page;
 *                            by default window.frontmapCSS, set by the assets)
 * }
 *
 * One section per concern, each a few functions over plain data:
 *   dom        helpers that build elements with textContent only (article
 *              text is never parsed as HTML);
 *   base       land, borders and the base labels' data;
 *   labels     collision-aware placement of every label on screen: the
 *              places the articles name first (most named first), then
 *              country names, then towns and villages by rank, each only
 *              from its zoom on; re-run after every move and filter;
 *   layers     thematic layers (control, zones, lines, sites), re-filtered
 *              by date;
 *   places     markers, areas (regions as labels, countries as outlines),
 *              popups, keyboard access;
 *   controls   title, legend (collapsible, out of an open popup's way),
 *              filter, credits, phone layout, print;
 *   filter     article and date filter: markers, layers, title, view;
 *   show       open a place's popup from a link in the page;
 *   mount      fragments in a shadow root, Leaflet loaded once per page.
 * The date control (filter) moves through the articles' dates and the days
 * the layers change: `layers` redraws the snapshots of that day, showState
 * the legend entries and the coverage note of that day.
 */
(function () {
  if (window.frontmap) { return; }
  var registry = {};
  var sheet = null, cssText = '';

  // ------------------------------------------------------------------ dom
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  function add(parent, child) {
    if (typeof child === 'string') { child = document.createTextNode(child); }
    parent.appendChild(child);
    return child;
  }
  function plural(n, word) { return n + ' ' + word + (n !== 1 ? 's' : ''); }
  function coord(lat, lon) {
    return Math.abs(lat).toFixed(4) + '\u00b0' + (lat >= 0 ? 'N' : 'S') + ' ' +
      Math.abs(lon).toFixed(4) + '\u00b0' + (lon >= 0 ? 'E' : 'W');
  }
  function pane(map, name, z, passive) {
    var p = map.createPane(name);
    p.style.zIndex = String(z);
    if (passive) { p.style.pointerEvents = 'none'; }
    return p;
  }
  // A control holding trusted HTML from the map's data (templates/map.html).
  function control(position, cls, html) {
    var C = L.Control.extend({
      onAdd: function () {
        var div = L.DomUtil.create('div', cls);
        div.innerHTML = html;
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      }
    });
    return new C({position: position});
  }
  // Accessible name and role of a layer's element, once it is on the map.
  function accessible(layer, label, role) {
    function set() {
      var e = layer.getElement ? layer.getElement() : null;
      if (!e) { return; }
      e.setAttribute('tabindex', '0');
      e.setAttribute('role', role || 'button');
      e.setAttribute('aria-label', label);
    }
    layer.on('add', set);
    if (layer._map) { set(); }
  }

  // The state a page or a test reads (data-frontmap-ready, -shown, -labels)
  // is on the map's element, or on its host for a fragment: one element a map.
  function mark(entry, name, value) {
    (entry.host || entry.map.getContainer()).setAttribute(name, value);
  }

  // ------------------------------------------------------------------ popups
  // r = [lat, lon, precision, label, x, articles, shape];
  // x = [kind, country, gazetteer id, score, mentions, groups, more, gazetteer name]
  // groups are null in a big map's rows: they are packed with the sentences
  // (P.packed, gzip + base64) and unpacked once the map is drawn.
  // An article's citation line: its title (a link only for http(s) URLs) and date.
  function citation(parent, a) {
    var cite = add(parent, el('div', 'fm-m'));
    if (a.url && /^https?:\/\//i.test(a.url)) {
      var link = add(cite, el('a', null, a.label));
      link.href = a.url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
    } else {
      add(cite, a.label);
    }
    if (a.date) { add(cite, ' \u00b7 ' + a.date); }
    return cite;
  }
  function popup(D, r, i) {
    var P = D.places, S = P.strings, x = r[4], sep = ' \u00b7 ';
    var groups = x[5] !== null ? x[5] : (P.groups ? P.groups[i] : null);
    var box = el('div', 'fm-pop'), h = add(box, el('div', 'fm-h'));
    add(h, el('b', null, r[3]));
    add(h, ' ');
    add(h, el('span', 'fm-k', S[x[0]]));
    if (x[7] !== null && x[7] !== undefined) {
      add(box, el('div', 'fm-m', 'gazetteer name: ' + x[7]));
    }
    var where = r[6] ? 'label at ' + coord(r[0], r[1]) : coord(r[0], r[1]);
    add(box, el('div', 'fm-m', where + (x[1] !== null ? sep + S[x[1]] : '')));
    var match = ['located as ' + P.precision_labels[r[2]]];
    if (x[3] !== null) { match.push('score ' + x[3].toFixed(2)); }
    if (x[2] !== null) { match.push('gazetteer id ' + x[2]); }
    add(box, el('div', 'fm-m', match.join(sep)));
    add(box, el('div', 'fm-m',
                'named ' + plural(x[4], 'time') + ' in ' + plural(r[5].length, 'article')));
    if (r[6]) {
      add(box, el('div', 'fm-m fm-area-note',
                  'An area: no control or distance to the front is given for it.'));
    }
    if (!groups) {
      add(box, el('div', 'fm-m fm-wait', window.DecompressionStream
        ? 'Loading the quotes\u2026'
        : 'The quotes need a newer browser (one that can decompress data).'));
      return box;
    }
    groups.forEach(function (g) {
      var part = add(box, el('div', 'fm-art')), a = D.articles[g[0]];
      var cite = citation(part, a);
      var st = [];
      if (g[1] !== null) { st.push('held by ' + S[g[1]]); }
      if (g[2] !== null) { st.push(g[2].toFixed(1) + ' km from the nearest front line'); }
      if (g[3].length) { st.push('in ' + g[3].map(function (z) { return S[z]; }).join(', ')); }
      if (st.length) { add(part, el('div', 'fm-st', st.join(sep))); }
      g[4].forEach(function (q) {
        var bq = add(part, el('blockquote')), text = P.sentences[q[0]], pos = 0;
        for (var k = 1; k < q.length; k += 2) {
          add(bq, text.slice(pos, q[k]));
          add(bq, el('mark', null, text.slice(q[k], q[k + 1])));
          pos = q[k + 1];
        }
        add(bq, text.slice(pos));
      });
    });
    if (x[6] > 0) {
      add(box, el('div', 'fm-more', 'and ' + x[6] + ' more sentence' +
                  (x[6] !== 1 ? 's' : '') + ' naming it'));
    }
    return box;
  }

  // The quotes of a big map: base64 of gzipped JSON {g: groups per row,
  // s: sentences}, unpacked once (a promise; null where the browser cannot).
  function unpack(P) {
    if (!P.packed) { return Promise.resolve(P); }
    if (P.unpacking !== undefined) { return P.unpacking; }
    if (!window.DecompressionStream || !window.Response || !window.Blob) {
      P.unpacking = Promise.resolve(null);
      return P.unpacking;
    }
    var bin = atob(P.packed), bytes = new Uint8Array(bin.length);
    for (var k = 0; k < bin.length; k++) { bytes[k] = bin.charCodeAt(k); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    P.unpacking = new Response(stream).text().then(function (text) {
      var u = JSON.parse(text);
      P.groups = u.g;
      P.sentences = u.s;
      return P;
    });
    return P.unpacking;
  }

  // ------------------------------------------------------------------ base
  function drawBase(map, D) {
    L.geoJSON(D.base.land, {pane: 'fm-base', interactive: false, style: D.base.land_style})
      .addTo(map);
    L.geoJSON(D.base.borders, {pane: 'fm-base', interactive: false, style: D.base.border_style})
      .addTo(map);
  }

  // ------------------------------------------------------------------ labels
  // Every label of the map is placed here, highest priority first, each in
  // the first of its candidate positions that overlaps nothing placed before
  // (marker symbols and cluster bubbles count as placed). Positions are in
  // the map's layer pixels, so the labels move with the map while it pans;
  // they are placed again after every move, zoom and filter.
  // Text widths, measured once per font and text on a canvas (no layout).
  var measure = null, measureFont = '', widths = {};
  function textWidth(text, font) {
    var key = font + '|' + text, w = widths[key];
    if (w !== undefined) { return w; }
    if (!measure) { measure = document.createElement('canvas').getContext('2d'); }
    if (measureFont !== font) { measure.font = measureFont = font; }
    w = widths[key] = measure.measureText(text).width;
    return w;
  }
  var CELL = 48;
  function Grid() { this.cells = {}; }
  Grid.prototype.keys = function (b, fn) {
    for (var gx = Math.floor(b[0] / CELL); gx <= Math.floor(b[2] / CELL); gx++) {
      for (var gy = Math.floor(b[1] / CELL); gy <= Math.floor(b[3] / CELL); gy++) {
        if (fn(gx + ',' + gy) === false) { return false; }
      }
    }
    return true;
  };
  Grid.prototype.free = function (b) {
    var cells = this.cells, f = this.frame;
    if (f && (b[0] < f[0] || b[1] < f[1] || b[2] > f[2] || b[3] > f[3])) { return false; }
    return this.keys(b, function (k) {
      var list = cells[k];
      if (!list) { return true; }
      for (var i = 0; i < list.length; i++) {
        var o = list[i];
        if (b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]) { return false; }
      }
      return true;
    });
  };
  Grid.prototype.put = function (b) {
    var cells = this.cells;
    this.keys(b, function (k) { (cells[k] = cells[k] || []).push(b); });
  };
  // Candidate boxes of a point label of width w, height h, beside a symbol of radius r.
  function around(x, y, w, h, r) {
    return ring(x, y, w, h, r + 3).concat(ring(x, y, w, h, 2.4 * (r + 3)));
  }
  function ring(x, y, w, h, g) {
    return [
      [x + g, y - h / 2, x + g + w, y + h / 2, 'e'],
      [x - g - w, y - h / 2, x - g, y + h / 2, 'w'],
      [x + g * 0.7, y - g * 0.7 - h, x + g * 0.7 + w, y - g * 0.7, 'ne'],
      [x + g * 0.7, y + g * 0.7, x + g * 0.7 + w, y + g * 0.7 + h, 'se'],
      [x - g * 0.7 - w, y - g * 0.7 - h, x - g * 0.7, y - g * 0.7, 'nw'],
      [x - g * 0.7 - w, y + g * 0.7, x - g * 0.7, y + g * 0.7 + h, 'sw'],
      [x - w / 2, y - g - h, x + w / 2, y - g, 'n'],
      [x - w / 2, y + g, x + w / 2, y + g + h, 's']
    ];
  }
  var FONTS = {
    place: '600 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
    area: 'italic 600 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
    country: '12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
    town: '11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'
  };
  var MAX_LABELS = 700;
  function Labels(map, D, entry) {
    this.map = map;
    this.D = D;
    this.entry = entry;
    this.box = el('div', 'fm-labelbox');
    map.getPane('fm-labels').appendChild(this.box);
    var towns = D.base.towns, self = this;
    this.towns = towns.n.map(function (name, i) {
      return {text: name, lat: towns.p[2 * i], lon: towns.p[2 * i + 1], zoom: towns.z[i]};
    });
    this.countries = D.base.countries.map(function (c) {
      return {text: c[0], lat: c[1], lon: c[2]};
    });
    map.on('moveend', function () { self.place(); });
  }
  // The boxes already taken: marker symbols and cluster bubbles on screen.
  // Returns the markers on screen (they get labels).
  Labels.prototype.obstacles = function (grid, view) {
    var map = this.map, e = this.entry, out = [];
    e.sites.forEach(function (m) {
      if (!map.hasLayer(m) || !view.contains(m.getLatLng())) { return; }
      var p = map.latLngToLayerPoint(m.getLatLng());
      grid.put([p.x - 9, p.y - 9, p.x + 9, p.y + 9]);
    });
    (e.eventMarkers || []).forEach(function (m) {
      if (!map.hasLayer(m) || !view.contains(m.getLatLng())) { return; }
      var p = map.latLngToLayerPoint(m.getLatLng()), b = m.fmBox;
      grid.put([p.x + b[0], p.y + b[1], p.x + b[2], p.y + b[3]]);
    });
    var shown = e.cluster ? e.group._featureGroup : e.group;
    shown.eachLayer(function (m) {
      var ll = m.getLatLng();
      if (!view.contains(ll)) { return; }
      var p = map.latLngToLayerPoint(ll);
      if (m.getChildCount) {  // a cluster bubble
        grid.put([p.x - 20, p.y - 20, p.x + 20, p.y + 20]);
      } else if (m.fmRow) {
        var r = (m.options.radius || 6) + 1;
        grid.put([p.x - r, p.y - r, p.x + r, p.y + r]);
        out.push(m);
      }
    });
    return out;
  };
  // Area labels are drawn even over a marker (they are the areas' only
  // symbol), at their point or just beside it, the most named first; one that
  // would cover another area's label is hidden until a move makes room (its
  // popup stays reachable from a report's links).
  Labels.prototype.areas = function (grid) {
    var map = this.map, own = new Grid();
    var areas = this.entry.areaLayers.filter(function (a) {
      return a.fmRow[6] === 1 && map.hasLayer(a) && a.getElement();
    });
    areas.sort(function (a, b) { return b.fmRank - a.fmRank || a.fmIndex - b.fmIndex; });
    areas.forEach(function (a) {
      var icon = a.getElement(), p = map.latLngToLayerPoint(a.getLatLng()), chosen = null;
      // Its size from the text (map.css: uppercase, .12em apart, 5 px padding): no layout read.
      var text = a.fmRow[3].toUpperCase();
      var w = textWidth(text, FONTS.area) + text.length * 1.44 + 12, h = 20;
      var shifts = [[0, 0], [0, -h - 4], [0, h + 4], [w / 2 + 10, 0], [-w / 2 - 10, 0],
                    [0, -2 * h - 6], [0, 2 * h + 6]];
      for (var k = 0; k < shifts.length && !chosen; k++) {
        var x = p.x + shifts[k][0], y = p.y + shifts[k][1];
        var b = [x - w / 2, y - h / 2, x + w / 2, y + h / 2];
        if (grid.free(b)) { chosen = [shifts[k], b]; }
      }
      if (!chosen) {
        var at = [p.x - w / 2, p.y - h / 2, p.x + w / 2, p.y + h / 2];
        chosen = own.free(at) ? [[0, 0], at] : null;
      }
      icon.style.visibility = chosen ? '' : 'hidden';
      if (!chosen) { return; }
      icon.style.translate = 'calc(-50% + ' + chosen[0][0] + 'px) calc(-50% + ' +
        chosen[0][1] + 'px)';
      grid.put(chosen[1]);
      own.put(chosen[1]);
    });
  };
  // The controls on the map (title, legend, zoom...) are taken too: a label
  // under a control could not be read. (One layout read per placement.)
  Labels.prototype.controls = function (grid) {
    var map = this.map, c = map.getContainer(), at = c.getBoundingClientRect();
    var boxes = c.querySelectorAll('.leaflet-control');
    for (var k = 0; k < boxes.length; k++) {
      var r = boxes[k].getBoundingClientRect();
      if (!r.width) { continue; }
      var a = map.containerPointToLayerPoint([r.left - at.left, r.top - at.top]);
      var b = map.containerPointToLayerPoint([r.right - at.left, r.bottom - at.top]);
      grid.put([a.x - 2, a.y - 2, b.x + 2, b.y + 2]);
    }
  };
  Labels.prototype.place = function () {
    var map = this.map, D = this.D, zoom = map.getZoom(), self = this;
    var view = map.getBounds().pad(0.15), grid = new Grid(), n = 0;
    var frag = document.createDocumentFragment();
    var corner = map.containerPointToLayerPoint([0, 0]), size = map.getSize();
    var markers = this.obstacles(grid, view);
    this.controls(grid);
    this.areas(grid);
    // Labels stay whole inside the map (areas, placed above, may not).
    grid.frame = [corner.x + 2, corner.y + 2, corner.x + size.x - 2, corner.y + size.y - 2];
    function put(b, cls, text, anchor) {
      grid.put(b);
      var s = el('span', 'fm-lab ' + cls + (anchor ? ' fm-' + anchor : ''), text);
      s.style.transform = 'translate(' + Math.round(b[0]) + 'px,' + Math.round(b[1]) + 'px)';
      frag.appendChild(s);
      n++;
    }
    // 1. The places the articles name, the most named first.
    markers.sort(function (a, b) { return b.fmRank - a.fmRank || a.fmIndex - b.fmIndex; });
    markers.forEach(function (m) {
      if (n >= MAX_LABELS) { return; }
      var r = m.fmRow, p = map.latLngToLayerPoint(m.getLatLng());
      var w = textWidth(r[3], FONTS.place) + 6, h = 16;
      var boxes = around(p.x, p.y, w, h, m.options.radius || 6);
      for (var k = 0; k < boxes.length; k++) {
        if (grid.free(boxes[k])) { put(boxes[k], 'fm-lab-place', r[3]); return; }
      }
    });
    // 2. Country names, centred on their label point.
    this.countries.forEach(function (c) {
      var ll = L.latLng(c.lat, c.lon);
      if (!view.contains(ll)) { return; }
      var p = map.latLngToLayerPoint(ll), text = c.text.toUpperCase();
      var w = textWidth(text, FONTS.country) + text.length * 2.4 + 6, h = 16;
      var b = [p.x - w / 2, p.y - h / 2, p.x + w / 2, p.y + h / 2];
      if (grid.free(b)) { put(b, 'fm-lab-country', text); }
    });
    // 3. Towns and villages by rank, each from its zoom on, a dot and the name.
    if (this.entry.townsOn) {
      this.towns.forEach(function (t) {
        if (n >= MAX_LABELS || t.zoom > zoom) { return; }
        var ll = L.latLng(t.lat, t.lon);
        if (!view.contains(ll)) { return; }
        var p = map.latLngToLayerPoint(ll);
        var w = textWidth(t.text, FONTS.town) + 12, h = 14;
        var east = [p.x - 4, p.y - h / 2, p.x - 4 + w, p.y + h / 2];
        var west = [p.x + 4 - w, p.y - h / 2, p.x + 4, p.y + h / 2];
        if (grid.free(east)) { put(east, 'fm-lab-town', t.text, 'e'); }
        else if (grid.free(west)) { put(west, 'fm-lab-town', t.text, 'w'); }
      });
    }
    this.box.textContent = '';
    this.box.appendChild(frag);
    mark(this.entry, 'data-frontmap-labels', String(n));
    self.count = n;
  };

  // ------------------------------------------------------------------ layers
  // Thematic layers are re-filtered by date: a feature shows on day d when
  // valid_from <= d <= valid_to (both inclusive, null = open). A map carries
  // every snapshot of its span; each distinct geometry is stored once
  // (D.geoms.full), with a simplified copy for low zooms where that helps
  // (D.geoms.simple, below zoom D.geoms.simple_below).
  function drawLayers(map, D, overlays, sites) {
    var state = {date: D.as_of, simple: null}, thematic = [], G = D.geoms;
    function valid(f) {
      var p = f.properties, d = state.date;
      return !d || ((!p.vf || p.vf <= d) && (!p.vt || d <= p.vt));
    }
    function simpleNow() { return map.getZoom() < G.simple_below; }
    function collection(layer) {
      var simple = state.simple = simpleNow();
      return {type: 'FeatureCollection', features: layer.features.map(function (p) {
        return {type: 'Feature', properties: p,
                geometry: (simple && G.simple[p.g]) || G.full[p.g]};
      })};
    }
    D.layers.forEach(function (layer) {
      var group = L.layerGroup();
      if (layer.casing) {  // a white line under the front line, for every fill
        var casing = L.geoJSON(null, {
          filter: valid, interactive: false,
          style: function () { return layer.casing; }
        });
        casing.addData(collection(layer));
        group.addLayer(casing);
        thematic.push({g: casing, layer: layer});
      }
      var g = L.geoJSON(null, {
        filter: valid,
        style: function (f) { return f.properties.style; },
        pointToLayer: function (f, ll) {
          var m = L.marker(ll, {
            pane: 'fm-sites',
            icon: L.divIcon({className: 'fm-site', iconSize: [18, 18], html: f.properties.icon})
          });
          accessible(m, f.properties.label, 'img');
          sites.push(m);
          return m;
        },
        onEachFeature: function (f, l) {
          l.bindTooltip(f.properties.tip, {sticky: true, className: 'fm-tip'});
          // Areas and lines are not tab stops (Leaflet makes a path with a
          // tooltip one): the keyboard goes from the controls to the places;
          // what a place lies in is in its popup, what a layer is in the legend.
          if (!l.getLatLng) {
            l.on('add', function () {
              var e = l.getElement();
              if (e) { e.setAttribute('tabindex', '-1'); e.setAttribute('aria-hidden', 'true'); }
            });
          }
        }
      });
      g.addData(collection(layer));
      group.addLayer(g);
      group.addTo(map);
      thematic.push({g: g, layer: layer});
      overlays[layer.label] = group;
    });
    function redraw() {
      sites.length = 0;
      thematic.forEach(function (t) { t.g.clearLayers(); t.g.addData(collection(t.layer)); });
    }
    map.on('zoomend', function () { if (simpleNow() !== state.simple) { redraw(); } });
    return function setDate(d) {
      if (d === state.date) { return; }
      state.date = d;
      redraw();
    };
  }
  // The state of the map on day d (D.states: the first day of each state and
  // its note): the legend shows only that state's entries, the title its
  // note ("No control data after 26 Nov 2024"). Run again whenever the
  // legend is made anew (moving a control rebuilds it).
  function showState(map, D, d) {
    var S = D.states || [], k = 0, c = map.getContainer();
    for (var i = 0; i < S.length; i++) {
      if (S[i].d !== null && d !== null && S[i].d <= d) { k = i; }
    }
    var items = c.querySelectorAll('.fm-li[data-fm-s]');
    for (var j = 0; j < items.length; j++) {
      var on = (' ' + items[j].getAttribute('data-fm-s') + ' ').indexOf(' ' + k + ' ') >= 0;
      items[j].hidden = !on;
    }
    var note = c.querySelector('.fm-note');
    if (note && S[k]) {
      note.textContent = S[k].n || '';
      note.hidden = !S[k].n;
    }
    return k;
  }

  // ------------------------------------------------------------------ places
  // One options object a precision, shared (Leaflet copies it into each marker).
  function placeMarker(D, r) {
    var P = D.places, opts = P.markerOptions || (P.markerOptions = {}), o = opts[r[2]];
    if (!o) {
      o = opts[r[2]] = L.extend({pane: 'fm-places', className: 'fm-place fm-p' + r[2]},
                                P.styles[r[2]]);
    }
    return L.circleMarker(L.latLng(r[0], r[1]), o);
  }
  var POPUP = {maxWidth: 380, className: 'fm-popup', autoPanPadding: [24, 24]};
  // A place's popup and tooltip, bound when first needed: binding 100,000
  // markers up front costs seconds (two objects and six listeners each).
  // Their content is built when shown, from text (never parsed as HTML).
  function bindPlace(D, m) {
    if (m.getPopup()) { return m; }
    var r = m.fmRow, i = m.fmIndex;
    m.bindPopup(function () {
      var box = popup(D, r, i);
      if (r[4][5] === null && !D.places.groups) {
        unpack(D.places).then(function (P) {
          if (P && m.isPopupOpen()) { m.getPopup().update(); }
        });
      }
      return box;
    }, POPUP);
    if (r[6] === 0) {
      m.bindTooltip(function () { return document.createTextNode(r[3]); }, {className: 'fm-tip'});
    }
    return m;
  }
  // One listener on the group for every marker not bound yet: the first
  // click, Enter or hover binds it and does what its own listeners would.
  function delegate(D, group) {
    group.on('click keypress mouseover', function (ev) {
      var m = ev.propagatedFrom || ev.layer;
      if (!m || !m.fmRow || m.getPopup()) { return; }
      bindPlace(D, m);
      if (ev.type === 'mouseover') { m.openTooltip(); }
      else if (ev.type === 'click' || ev.originalEvent.keyCode === 13) { m.openPopup(); }
    });
  }
  // Markers get their accessible name when they come on the map (one
  // listener for all: 10,000 markers need no 10,000 handlers).
  function nameMarkers(map, D) {
    map.on('layeradd', function (ev) {
      var m = ev.layer, r = m.fmRow, e = m._path;
      if (!r || r[6] !== 0 || !e || e.hasAttribute('aria-label')) { return; }
      e.setAttribute('tabindex', '0');
      e.setAttribute('role', 'button');
      e.setAttribute('aria-label', r[3] + ', ' + D.places.precision_labels[r[2]] + ', named ' +
                     plural(r[4][4], 'time'));
    });
  }
  function areaLabel(D, r) {
    var m = L.marker([r[0], r[1]], {
      pane: 'fm-areas', keyboard: true, riseOnHover: true,
      icon: L.divIcon({className: 'fm-area', iconSize: null, html: ''})
    });
    m.on('add', function () {
      var e = m.getElement();
      e.textContent = r[3];
      e.setAttribute('role', 'button');
      e.setAttribute('aria-label', r[3] + ', an area named ' + plural(r[4][4], 'time'));
    });
    return m;
  }
  function countryOutline(D, r) {
    var g = L.geoJSON(D.places.outlines[r[6] - 2], {
      pane: 'fm-outlines', style: L.extend({className: 'fm-outline'}, D.places.outline_style)
    });
    var m = g.getLayers()[0];
    m.bindTooltip(function () { return document.createTextNode(r[3]); },
                  {sticky: true, className: 'fm-tip'});
    accessible(m, r[3] + ', a country named ' + plural(r[4][4], 'time'));
    m.getLatLng = function () { return L.latLng(r[0], r[1]); };
    return m;
  }
  // The layers of the places: markers (clustered above a threshold), area
  // labels and country outlines. markers[i] is place i, whatever its shape.
  function drawPlaces(map, D, ready) {
    var P = D.places, loading = false;
    // markercluster reports progress for every addLayers, its own empty one
    // when the group joins the map included: only the end of ours counts,
    // and only after the rest of that task, which puts the clusters on the map.
    var group = P.cluster
      ? clusterGroup({maxClusterRadius: 40, showCoverageOnHover: false,
                              spiderfyOnMaxZoom: true, chunkedLoading: true,
                              chunkInterval: 150, chunkDelay: 10,
                              iconCreateFunction: clusterIcon,
                              chunkProgress: function (done, total) {
                                if (loading && done === total) {
                                  loading = false;
                                  Promise.resolve().then(ready);
                                }
                              }})
      : L.featureGroup();
    // Place markers never move nor drag: markercluster need not listen to
    // each one for that (three listeners a marker).
    if (P.cluster) { group._childMarkerEventHandlers = {}; }
    var areas = L.featureGroup(), points = [], areaLayers = [];
    var markers = P.rows.map(function (r, i) {
      var m = r[6] === 0 ? placeMarker(D, r) : (r[6] === 1 ? areaLabel(D, r) : countryOutline(D, r));
      m.fmArticles = r[5];
      m.fmRow = r;
      m.fmIndex = i;
      m.fmRank = r[4][4];
      if (r[6] === 0) { points.push(m); } else { areaLayers.push(bindPlace(D, m)); }
      return m;
    });
    delegate(D, group);
    // The group joins the map BEFORE its markers: markercluster then clusters
    // them in chunks (chunkedLoading) straight into its tree. Added to a group
    // off the map, each marker is checked with hasLayer against those before
    // it (quadratic: 100,000 places took 20 s more).
    group.addTo(map);
    // No layeradd event a marker: nothing listens to the group's.
    if (P.cluster) { loading = true; group.addLayers(points, true); }
    else { points.forEach(function (m) { group.addLayer(m); }); }
    areaLayers.forEach(function (m) { areas.addLayer(m); });
    areas.addTo(map);
    return {group: group, areas: areas, markers: markers, areaLayers: areaLayers};
  }
  // markercluster's DistanceGrid (one a zoom level, for clusters and for
  // markers not yet clustered) with the same results, faster: a cell keeps
  // its objects' points beside them, so finding the nearest object scans
  // numbers instead of looking each point up by the object's id in a sparse
  // object (61 % of the clustering time at 100,000 places; profile in
  // bench/README.md). Rows and cells are Maps; eachObject goes through them
  // in the order of the original (ascending keys).
  function FastGrid(cellSize) {
    this._cellSize = cellSize;
    this._sqCellSize = cellSize * cellSize;
    this._rows = new Map();
  }
  FastGrid.prototype = {
    addObject: function (obj, point) {
      var x = this._getCoord(point.x), y = this._getCoord(point.y), rows = this._rows;
      var row = rows.get(y), cell;
      if (!row) { row = new Map(); rows.set(y, row); }
      cell = row.get(x);
      if (!cell) { cell = {o: [], x: [], y: []}; row.set(x, cell); }
      cell.o.push(obj);
      cell.x.push(point.x);
      cell.y.push(point.y);
    },
    updateObject: function (obj, point) {
      this.removeObject(obj);
      this.addObject(obj, point);
    },
    removeObject: function (obj, point) {
      var row = this._rows.get(this._getCoord(point.y)), x = this._getCoord(point.x);
      var cell = row && row.get(x);
      if (!cell) { return false; }
      for (var i = 0, len = cell.o.length; i < len; i++) {
        if (cell.o[i] === obj) {
          cell.o.splice(i, 1);
          cell.x.splice(i, 1);
          cell.y.splice(i, 1);
          if (len === 1) { row.delete(x); }
          return true;
        }
      }
      return false;
    },
    eachObject: function (fn, context) {
      function keys(m) { return Array.from(m.keys()).sort(function (a, b) { return a - b; }); }
      var rows = this._rows;
      keys(rows).forEach(function (y) {
        var row = rows.get(y);
        keys(row).forEach(function (x) {
          var o = row.get(x).o;
          for (var k = 0, len = o.length; k < len; k++) {
            if (fn.call(context, o[k])) { k--; len--; }
          }
        });
      });
    },
    getNearObject: function (point) {
      var px = point.x, py = point.y, x = this._getCoord(px), y = this._getCoord(py);
      var best = this._sqCellSize, closest = null, rows = this._rows;
      for (var i = y - 1; i <= y + 1; i++) {
        var row = rows.get(i);
        if (!row) { continue; }
        for (var j = x - 1; j <= x + 1; j++) {
          var cell = row.get(j);
          if (!cell) { continue; }
          var o = cell.o, xs = cell.x, ys = cell.y;
          for (var k = 0, len = o.length; k < len; k++) {
            var dx = px - xs[k], dy = py - ys[k], d = dx * dx + dy * dy;
            if (d < best || (d <= best && closest === null)) { best = d; closest = o[k]; }
          }
        }
      }
      return closest;
    },
    _getCoord: function (x) {
      var coord = Math.floor(x / this._cellSize);
      return isFinite(coord) ? coord : x;
    },
    _sqDist: function (p, p2) {
      var dx = p2.x - p.x, dy = p2.y - p.y;
      return dx * dx + dy * dy;
    }
  };
  // A marker's point at zoom z is scale(z) * (a*x + b, c*y + d) of its
  // projected lat/lon (Leaflet's CRS.latLngToPoint): the part in brackets is
  // kept on the marker, so each zoom costs two multiplications (the same
  // numbers as map.project) and no new objects.
  function unscaled(crs, m) {
    var ll = m._latlng;
    if (m.fmLL !== ll) {
      var p = crs.projection.project(ll), t = crs.transformation;
      m.fmLL = ll;
      m.fmU = t._a * p.x + t._b;
      m.fmV = t._c * p.y + t._d;
    }
    return m;
  }
  // markercluster's group with _addLayer and _removeFromGridUnclustered as in
  // Leaflet.markercluster 1.4.1, the markers' points computed as above (the
  // grids keep a point's numbers, not the object, so one scratch point serves).
  var ClusterGroup = null;
  function clusterGroup(options) {
    if (!ClusterGroup) {
      ClusterGroup = L.MarkerClusterGroup.extend({
        // The group's grids are FastGrids: markercluster makes them from
        // L.DistanceGrid, swapped for that call only (a host page's own
        // cluster groups keep theirs).
        _generateInitialClusters: function () {
          var was = L.DistanceGrid;
          L.DistanceGrid = FastGrid;
          try {
            L.MarkerClusterGroup.prototype._generateInitialClusters.call(this);
          } finally {
            L.DistanceGrid = was;
          }
        },
        _addLayer: function (layer, zoom) {
          var gridClusters = this._gridClusters, gridUnclustered = this._gridUnclustered;
          var map = this._map, crs = map.options.crs, minZoom = Math.floor(map.getMinZoom());
          var at = {x: 0, y: 0}, z, scale;
          if (this.options.singleMarkerMode) { this._overrideMarkerIcon(layer); }
          layer.on(this._childMarkerEventHandlers, this);
          unscaled(crs, layer);
          for (; zoom >= minZoom; zoom--) {
            scale = crs.scale(zoom);
            at.x = scale * layer.fmU;
            at.y = scale * layer.fmV;
            var closest = gridClusters[zoom].getNearObject(at);
            if (closest) {
              closest._addChild(layer);
              layer.__parent = closest;
              return;
            }
            closest = gridUnclustered[zoom].getNearObject(at);
            if (closest) {
              var parent = closest.__parent;
              if (parent) { this._removeLayer(closest, false); }
              var newCluster = new this._markerCluster(this, zoom, closest, layer);
              unscaled(crs, closest);  // the new cluster's point is closest's
              gridClusters[zoom].addObject(newCluster, L.point(scale * closest.fmU,
                                                               scale * closest.fmV));
              closest.__parent = newCluster;
              layer.__parent = newCluster;
              var lastParent = newCluster;
              for (z = zoom - 1; z > parent._zoom; z--) {
                var s = crs.scale(z);
                lastParent = new this._markerCluster(this, z, lastParent);
                gridClusters[z].addObject(lastParent, L.point(s * closest.fmU, s * closest.fmV));
              }
              parent._addChild(lastParent);
              this._removeFromGridUnclustered(closest, zoom);
              return;
            }
            // (markercluster's own grid would keep the object: a copy then)
            gridUnclustered[zoom].addObject(layer, gridUnclustered[zoom] instanceof FastGrid
              ? at : L.point(at.x, at.y));
          }
          this._topClusterLevel._addChild(layer);
          layer.__parent = this._topClusterLevel;
        },
        _removeFromGridUnclustered: function (marker, z) {
          var map = this._map, crs = map.options.crs, grids = this._gridUnclustered;
          var minZoom = Math.floor(map.getMinZoom()), at = {x: 0, y: 0}, scale;
          unscaled(crs, marker);
          for (; z >= minZoom; z--) {
            scale = crs.scale(z);
            at.x = scale * marker.fmU;
            at.y = scale * marker.fmV;
            if (!grids[z].removeObject(marker, at)) { break; }
          }
        }
      });
    }
    return new ClusterGroup(options);
  }
  function clusterIcon(cluster) {
    var n = cluster.getChildCount();
    var size = n < 10 ? 'small' : (n < 100 ? 'medium' : 'large');
    return L.divIcon({
      html: '<div><span>' + n + '</span></div>',
      className: 'marker-cluster fm-cluster marker-cluster-' + size,
      iconSize: L.point(40, 40)
    });
  }
  // Cluster bubbles get an accessible name (markercluster gives them none).
  function nameClusters(container) {
    var bubbles = container.querySelectorAll('.fm-cluster');
    for (var k = 0; k < bubbles.length; k++) {
      var b = bubbles[k];
      b.setAttribute('role', 'button');
      b.setAttribute('aria-label', b.textContent + ' places here; press Enter to zoom in');
    }
  }

  // ------------------------------------------------------------------ events
  // E = D.events: kinds [key, label, icon], strings, rows [lat, lon, kind,
  // date, sub-event type, event type, actor 1, actor 2, fatalities, quote,
  // place, article, geo-precision]. An icon per event, up and right of its
  // point (the place's own marker stays visible), several at one point side
  // by side; a popup built from text; a box listing the kinds that filters them.
  var EV = 22;
  function eventPopup(D, r) {
    var E = D.events, S = E.strings, sep = ' \u00b7 ';
    var box = el('div', 'fm-pop fm-evpop'), h = add(box, el('div', 'fm-h'));
    add(h, el('b', null, r[4] !== null ? S[r[4]] : E.kinds[r[2]][1]));
    if (r[5] !== null) { add(h, ' '); add(h, el('span', 'fm-k', S[r[5]])); }
    var when = [r[3] ? r[3] : 'date not given'];
    if (r[10] !== null) { when.push(S[r[10]]); }
    add(box, el('div', 'fm-m', when.join(sep)));
    var who = 'By ' + (r[6] !== null ? S[r[6]] : 'an actor not named');
    if (r[7] !== null) { who += ' against ' + S[r[7]]; }
    add(box, el('div', 'fm-m', who));
    add(box, el('div', 'fm-m fm-fat', r[8] === null ? 'Fatalities: not stated'
      : 'Fatalities: ' + r[8] + (r[8] === 0 ? ' (the text says none died)' : '')));
    if (r[9] !== null) { add(box, el('blockquote', null, r[9])); }
    var a = r[11] !== null ? D.articles[r[11]] : null;
    if (a) {
      citation(box, a);
    }
    return box;
  }
  function drawEvents(map, D, entry) {
    var E = D.events, seen = {}, group = L.featureGroup();
    pane(map, 'fm-events', 630, false);
    entry.eventMarkers = E.rows.map(function (r) {
      var at = r[0] + ',' + r[1], n = seen[at] = (seen[at] || 0) + 1, k = E.kinds[r[2]];
      var dx = 3 + (n - 1) * (EV + 2), dy = -3 - EV;  // the icon's top left, from the point
      var m = L.marker([r[0], r[1]], {
        pane: 'fm-events', keyboard: true, riseOnHover: true,
        icon: L.divIcon({className: 'fm-event fm-ev-' + k[0], iconSize: [EV, EV],
                         iconAnchor: [-dx, -dy], html: k[2]})
      });
      m.fmEvent = r;
      m.fmBox = [dx, dy, dx + EV, dy + EV];
      m.bindPopup(function () { return eventPopup(D, r); }, POPUP);
      m.bindTooltip(function () {
        return document.createTextNode(k[1] + (r[3] ? ' \u00b7 ' + r[3] : ''));
      }, {className: 'fm-tip', direction: 'top'});
      accessible(m, k[1] + (r[10] !== null ? ', ' + E.strings[r[10]] : '') +
                 (r[3] ? ', ' + r[3] : ''), 'button');
      group.addLayer(m);
      return m;
    });
    group.addTo(map);
    var box = control('topleft', 'fm-box fm-events-box', E.box);
    box.addTo(map);
    entry.eventsBox = box;
    var size = map.getSize(), fold = details(box);  // folded on a phone, as the legend
    if (fold && (size.x <= NARROW || size.y <= SHORT)) { fold.open = false; }
    var on = E.kinds.map(function () { return true; }), state = {which: 'all', until: null};
    function update(which, until) {
      if (which !== undefined) { state.which = which; state.until = until; }
      var n = 0, counts = E.kinds.map(function () { return 0; });
      entry.eventMarkers.forEach(function (m) {
        var r = m.fmEvent;
        var shown = (state.which === 'all' || String(r[11]) === state.which) &&
          (!state.until || !r[3] || r[3] <= state.until);
        if (shown) { counts[r[2]]++; }  // the box counts what the article and date show
        var ok = on[r[2]] && shown;
        if (ok) { n++; if (!group.hasLayer(m)) { group.addLayer(m); } }
        else if (group.hasLayer(m)) { group.removeLayer(m); }
      });
      var inputs = box.getContainer().querySelectorAll('input[data-fm-k]');
      for (var i = 0; i < inputs.length; i++) {
        var count = inputs[i].parentNode.querySelector('.fm-ev-n');
        if (count) { count.textContent = String(counts[Number(inputs[i].getAttribute('data-fm-k'))]); }
      }
      mark(entry, 'data-frontmap-events', String(n));
      // (Before the map is drawn, ready() places them: once, with the clusters.)
      if (entry.labels && entry.drawn) { entry.labels.place(); }
    }
    box.getContainer().addEventListener('change', function (ev) {
      var k = ev.target.getAttribute && ev.target.getAttribute('data-fm-k');
      if (k === null || k === undefined) { return; }
      on[Number(k)] = ev.target.checked;
      update();
    });
    entry.showEvents = update;
    mark(entry, 'data-frontmap-events', String(E.rows.length));
    return group;
  }

  // ------------------------------------------------------------------ controls
  var NARROW = 480, SHORT = 460;
  function drawControls(map, D, overlays, moved) {
    var c = {};
    c.title = control('topright', 'fm-box fm-title', D.title_html);
    c.title.addTo(map);
    c.layers = L.control.layers(null, overlays, {collapsed: true, position: 'topright'});
    c.layers.addTo(map);
    // Bottom corners stack upwards: the credits go first, at the very bottom.
    map.attributionControl.remove();
    c.credits = control('bottomright', 'fm-credits', D.attribution_html);
    c.credits.addTo(map);
    c.legend = control('bottomright', 'fm-box fm-legend', D.legend_html);
    c.legend.addTo(map);
    if (D.filter_html) {
      c.filter = control('bottomleft', 'fm-box fm-filter', D.filter_html);
      c.filter.addTo(map);
    }
    var container = map.getContainer();
    container.setAttribute('role', 'region');
    container.setAttribute('aria-label', D.aria_label);
    // Keyboard order: the controls first, then the places.
    var corners = container.querySelector('.leaflet-control-container');
    container.insertBefore(corners, container.firstChild);
    layout(map, c, moved);
    keepLegendClear(map, c);
    printable(map, c);
    return c;
  }
  // Phone layout: under NARROW px the legend and credits start folded and
  // the title and filter shrink (the container's width decides, not the
  // window's: a fragment may be narrow on a wide screen). A map under SHORT px
  // high starts with its legend folded too.
  function layout(map, c, moved) {
    var container = map.getContainer(), was = null;
    function fit() {
      // Leaflet knows the container's size (no layout forced here).
      var size = map.getSize(), narrow = size.x <= NARROW;
      var small = narrow || size.y <= SHORT;
      var now = String(narrow) + small;
      if (now === was) { return; }
      was = now;
      container.classList.toggle('fm-narrow', narrow);
      // On a phone the legend goes up, under the title: the bottom is the
      // filter's. (Moving a control makes its element anew.)
      var corner = narrow ? 'topright' : 'bottomright';
      if (c.legend.getPosition() !== corner) {
        c.legend.setPosition(corner);
        if (moved) { moved(); }
      }
      var legend = details(c.legend), credits = details(c.credits);
      if (legend) { legend.open = !small; }
      if (credits) { credits.open = !narrow; }
    }
    fit();
    map.on('resize', fit);  // Leaflet watches the window; a fragment's box may change alone
    if (window.ResizeObserver) {
      new ResizeObserver(function () { map.invalidateSize({pan: false}); }).observe(container);
    }
  }
  function details(ctl) { return ctl.getContainer().querySelector('details'); }
  // An open popup is never under the legend or the events' box: each folds
  // while they would overlap (and opens again when the popup closes); if a
  // folded box is still in the way, the map pans the popup clear of it.
  function keepLegendClear(map, c) {
    var folded = [];
    function overlap(a, b) {
      return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    }
    function check(popup) {
      var pop = popup && popup.getElement();
      if (!pop || !popup.isOpen()) { return; }
      var m = map.getContainer().getBoundingClientRect();
      [c.legend, c.events].forEach(function (ctl) {
        var d = ctl && details(ctl);
        if (!d) { return; }
        var box = ctl.getContainer();
        if (d.open && overlap(pop.getBoundingClientRect(), box.getBoundingClientRect())) {
          d.open = false;
          folded.push(ctl);
        }
        var corner = box.parentNode.getBoundingClientRect();
        if (!overlap(pop.getBoundingClientRect(), corner) || !popup._adjustPan) { return; }
        if (ctl === c.legend) {
          popup.options.autoPanPaddingBottomRight = [m.right - corner.left + 8,
                                                     m.bottom - corner.top + 8];
        } else {
          popup.options.autoPanPaddingTopLeft = [corner.right - m.left + 8,
                                                 corner.bottom - m.top + 8];
        }
        popup._adjustPan();
      });
    }
    map.on('popupopen', function (ev) {
      check(ev.popup);
      map.once('moveend', function () { check(ev.popup); });
    });
    map.on('popupclose', function () {
      folded.forEach(function (ctl) { var d = details(ctl); if (d) { d.open = true; } });
      folded = [];
    });
  }
  // Printing: the legend and credits unfold; the interactive controls are
  // hidden by the print stylesheet (map.css).
  function printable(map, c) {
    var before = [];
    function all() {
      return [details(c.legend), details(c.credits)].filter(function (d) { return d; });
    }
    window.addEventListener('beforeprint', function () {
      before = all().map(function (d) { return d.open; });
      all().forEach(function (d) { d.open = true; });
    });
    window.addEventListener('afterprint', function () {
      all().forEach(function (d, k) { d.open = before[k]; });
    });
  }

  // ------------------------------------------------------------------ filter
  function setupFilter(map, c, entry, D, setDate) {
    var box = c.filter.getContainer();
    var select = box.querySelector('select');
    var range = box.querySelector('input[type=range]');
    var out = box.querySelector('output');
    var container = map.getContainer();
    var asof = container.querySelector('.fm-asof');
    var count = container.querySelector('.fm-count');
    var fullCount = count ? count.textContent : '';
    var dates = D.articles.map(function (a) { return a.date || ''; });
    // The slider steps through the articles' dates and the days the layers
    // change (each snapshot of the span), in order.
    var changes = (D.states || []).map(function (s) { return s.d; });
    if (D.events) { changes = changes.concat(D.events.rows.map(function (r) { return r[3]; })); }
    var all = dates.concat(D.as_of ? [D.as_of] : [], changes)
      .filter(function (d) { return d; }).sort();
    var days = all.filter(function (d, i) { return i === 0 || d !== all[i - 1]; });
    if (range) {
      range.min = '0';
      range.max = String(Math.max(days.length - 1, 0));
      range.value = String(D.as_of ? days.indexOf(D.as_of) : days.length - 1);
    }
    var group = entry.group, areas = entry.areas;
    // every: every article's places whatever their date; first: as drawn.
    function apply(every, first) {
      var which = select ? select.value : 'all';
      var until = (range && days.length) ? days[Number(range.value)] : D.as_of;
      if (out) { out.textContent = until || ''; }
      if (asof && until) { asof.textContent = 'As of ' + until; }
      setDate(until || null);
      if (entry.showEvents) { entry.showEvents(which, every === true ? null : (until || null)); }
      var keep = [], drop = [], arts = {};
      entry.markers.forEach(function (m) {
        var ok = false;
        m.fmArticles.forEach(function (i) {
          if (which !== 'all' && String(i) !== which) { return; }
          if (every === true || !until || !dates[i] || dates[i] <= until) {
            ok = true;
            arts[i] = true;
          }
        });
        (ok ? keep : drop).push(m);
      });
      if (!first) {
        var kp = keep.filter(isPoint), dp = drop.filter(isPoint);
        if (D.places.cluster) { group.removeLayers(dp); group.addLayers(kp); }
        else {
          dp.forEach(function (m) { group.removeLayer(m); });
          kp.forEach(function (m) { group.addLayer(m); });
        }
        drop.filter(isArea).forEach(function (m) { areas.removeLayer(m); });
        keep.filter(isArea).forEach(function (m) { areas.addLayer(m); });
      }
      var nArts = Object.keys(arts).length;
      if (count) {
        count.textContent = which === 'all' && !first
          ? plural(keep.length, 'place') + ' named in ' + plural(nArts, 'article')
          : (first ? fullCount : plural(keep.length, 'place') + ' named in this article');
      }
      mark(entry, 'data-frontmap-shown', String(keep.length));
      if (!first && which !== 'all') { frame(map, keep.filter(function (m) { return m.fmRow[6] < 2; })); }
      if (!first && entry.labels) { entry.labels.place(); }
    }
    if (select) {
      select.addEventListener('change', function () {
        // Choosing one article moves the date to that article's date, and the
        // view to its places; all articles bring the first view back.
        var d = select.value === 'all' ? D.as_of : dates[Number(select.value)];
        if (range && d && days.indexOf(d) >= 0) { range.value = String(days.indexOf(d)); }
        if (select.value === 'all') { map.setView(entry.home[0], entry.home[1], {animate: false}); }
        apply();
      });
    }
    if (range) { range.addEventListener('input', function () { apply(); }); }
    var start = range ? range.value : null;
    apply(true, true);
    return function reset() {
      if (select) { select.value = 'all'; }
      if (range) { range.value = start; }
      apply(true);
    };
  }
  function isPoint(m) { return m.fmRow[6] === 0; }
  function isArea(m) { return m.fmRow[6] !== 0; }
  // Pan and zoom to the places kept (not closer than zoom 11).
  function frame(map, layers) {
    if (!layers.length) { return; }
    var b = L.latLngBounds(layers.map(function (m) { return m.getLatLng(); }));
    map.fitBounds(b.pad(0.15), {maxZoom: 11, animate: false, paddingTopLeft: [20, 60],
                                paddingBottomRight: [20, 40]});
  }

  // ------------------------------------------------------------------ draw
  function draw(map, D, key, host) {
    pane(map, 'fm-base', 150, true);
    pane(map, 'fm-outlines', 420, false);
    pane(map, 'fm-labels', 640, true);
    pane(map, 'fm-areas', 605, false);
    pane(map, 'fm-sites', 610, false);
    pane(map, 'fm-places', 620, false);
    var overlays = {}, container = map.getContainer();
    key = key || container.id;
    drawBase(map, D);
    if (D.online) {
      overlays[D.online.label] = L.tileLayer(D.online.url, {maxZoom: 19});
    }
    var entry = {map: map, D: D, cluster: !!D.places.cluster, reset: null, townsOn: true,
                 host: host || null, home: [map.getCenter(), map.getZoom()], sites: []};
    var setLayers = drawLayers(map, D, overlays, entry.sites);
    entry.day = D.as_of;
    function setDate(d) {
      entry.day = d;
      setLayers(d);
      showState(map, D, d);
    }
    nameMarkers(map, D);
    // The map is ready when its markers are on it: at once, or when the
    // cluster group has finished clustering them (in chunks, to stay
    // responsive). Its labels are placed then.
    var state = 'drawing';
    function ready() {
      if (state === 'drawing' || state === 'early') { state = 'early'; return; }
      if (state === 'ready') { return; }
      state = 'ready';
      entry.drawn = true;
      entry.labels.place();
      nameClusters(container);
      var n = String(entry.markers.length);
      mark(entry, 'data-frontmap-ready', n);
      if (D.places.packed) { setTimeout(function () { unpack(D.places); }, 0); }
    }
    var drawn = drawPlaces(map, D, ready);
    entry.group = drawn.group;
    entry.areas = drawn.areas;
    entry.markers = drawn.markers;
    entry.areaLayers = drawn.areaLayers;
    overlays[D.places.label] = drawn.group;
    if (D.events) { overlays['Events (' + D.events.rows.length + ')'] = drawEvents(map, D, entry); }
    var towns = L.layerGroup();  // a switch for the base labels (placed by Labels)
    towns.on('add', function () { entry.townsOn = true; if (entry.labels) { entry.labels.place(); } });
    towns.on('remove', function () { entry.townsOn = false; entry.labels.place(); });
    towns.addTo(map);
    overlays[D.base.towns_label] = towns;
    var c = drawControls(map, D, overlays, function () { showState(map, D, entry.day); });
    c.events = entry.eventsBox || null;
    entry.labels = new Labels(map, D, entry);
    if (D.filter_html) { entry.reset = setupFilter(map, c, entry, D, setDate); }
    if (entry.cluster) {
      drawn.group.on('animationend', function () { nameClusters(container); });
      map.on('zoomend', function () { nameClusters(container); });
    }
    registry[key] = entry;
    var early = state === 'early';
    state = 'waiting';
    if (!entry.cluster || early) { ready(); }
    return {places: drawn.group, markers: drawn.markers, overlays: overlays};
  }

  // ------------------------------------------------------------------ show
  // Open the popup of place i of the map registered under key (used by the
  // report's links); false when there is no such place.
  function show(key, i) {
    var e = registry[key], m = e && e.markers[i];
    if (!m) { return false; }
    var map = e.map, group = e.group;
    if (!map.hasLayer(group)) { group.addTo(map); }
    if (!(group.hasLayer(m) || e.areas.hasLayer(m)) && e.reset) { e.reset(); }
    function open() { bindPlace(e.D, m).openPopup(); }
    if (m.fmRow[6] !== 0 || !e.cluster ||
        (map.hasLayer(m) && map.getBounds().contains(m.getLatLng()))) {
      open();
      return true;
    }
    // In a cluster: zoom to where the marker stands alone (markercluster's
    // zoomToShowLayer needs marker icons, and these are circle markers). A
    // marker's __parent is its deepest cluster; beyond the maximum zoom it
    // never stands alone, so its cluster is spiderfied.
    var top = map.getMaxZoom(), z = m.__parent ? m.__parent._zoom + 1 : map.getZoom();
    map.setView(m.getLatLng(), Math.min(Math.max(z, map.getZoom()), top), {animate: false});
    var tries = 0;
    (function check() {
      var c = group.getVisibleParent(m);
      if (map.hasLayer(m)) { open(); }
      else if (z > top && c && c !== m && c._icon && !group._inZoomAnimation) {
        group.once('spiderfied', open);
        c.spiderfy();
      } else if (++tries < 60) { setTimeout(check, 50); }
    })();
    return true;
  }
  function onLink(ev) {
    var a = ev.target && ev.target.closest ? ev.target.closest('a[data-fm-i]') : null;
    if (!a) { return; }
    var id = (a.getAttribute('href') || '').slice(1), target = document.getElementById(id);
    if (!target || !show(id, Number(a.getAttribute('data-fm-i')))) { return; }
    ev.preventDefault();
    var was = document.querySelectorAll('.fm-current');
    for (var k = 0; k < was.length; k++) { was[k].classList.remove('fm-current'); }
    a.classList.add('fm-current');
    target.scrollIntoView({block: 'center'});
  }

  // ------------------------------------------------------------------ mount
  // A fragment: the map lives in the shadow root of its host element, so the
  // host page's stylesheet (svg{max-width:100%}, *{box-sizing:...}, div{...})
  // cannot reach it; the styles are one constructed stylesheet shared by
  // every map of the page.
  function setStyles(css) { cssText = css; sheet = null; }
  function adopt(root) {
    if (!cssText) { cssText = window.frontmapCSS || ''; }
    if (root.adoptedStyleSheets !== undefined && window.CSSStyleSheet &&
        CSSStyleSheet.prototype.replaceSync) {
      if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(cssText); }
      root.adoptedStyleSheets = [sheet];
    } else {
      root.appendChild(el('style', null, cssText));
    }
  }
  function mount(hostId, opts, D) {
    var host = document.getElementById(hostId);
    if (!host || host.frontmapMounted) { return null; }
    host.frontmapMounted = true;
    var root = host.attachShadow ? host.attachShadow({mode: 'open'}) : host;
    if (root !== host) { adopt(root); }
    var wrap = add(root, el('div', 'fm-root'));
    var div = add(wrap, el('div', 'folium-map frontmap'));
    div.id = hostId + '-map';
    var map = L.map(div, opts);
    L.control.scale({metric: true, imperial: false}).addTo(map);
    draw(map, D, hostId, host);
    return map;
  }

  document.addEventListener('click', onLink);
  window.frontmap = {draw: draw, show: show, mount: mount, maps: registry, setStyles: setStyles};
  // Fragments that came before this script queued their maps.
  var queued = window.frontmapQueue || [];
  window.frontmapQueue = {push: function (f) { f(); }};
  for (var q = 0; q < queued.length; q++) { queued[q](); }
})();
