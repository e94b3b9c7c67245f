(function () {
  if (window.frontmap) { return; }
  function pane(map, name, z, passive) {
    var el = map.createPane(name);
    el.style.zIndex = String(z);
    if (passive) { el.style.pointerEvents = 'none'; }
  }
  function label(lat, lon, cls, html) {
    return L.marker([lat, lon], {
      pane: 'fm-labels', interactive: false, keyboard: false,
      icon: L.divIcon({className: cls, html: html, iconSize: null})
    });
  }
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
  // Popups are built from data with textContent and text nodes only: the
  // strings of the articles never pass through an HTML parser.
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
  // r = [lat, lon, precision, name, x, articles];
  // x = [kind, country, gazetteer id, score, mentions, groups, more] (see render.py).
  function popup(D, r) {
    var P = D.places, S = P.strings, x = r[4], sep = ' \u00b7 ';
    var box = el('div', 'fm-pop'), h = add(box, el('div', 'fm-h'));
    add(h, el('b', null, r[3]));
    add(h, ' ');
    add(h, el('span', 'fm-k', S[x[0]]));
    add(box, el('div', 'fm-m', coord(r[0], r[1]) + (x[1] !== null ? sep + S[x[1]] : '')));
    var match = ['located as ' + P.precision_labels[r[2]]];
    if (x[3] !== null) { match.push('score ' + x[3].toFixed(2)); }
    if (x[2] !== null) { match.push('gazetteer id ' + x[2]); }
    add(box, el('div', 'fm-m', match.join(sep)));
    add(box, el('div', 'fm-m',
                'named ' + plural(x[4], 'time') + ' in ' + plural(r[5].length, 'article')));
    x[5].forEach(function (g) {
      var part = add(box, el('div', 'fm-art')), a = D.articles[g[0]];
      var cite = add(part, el('div', 'fm-m'));
      if (a.url && /^https?:\/\//i.test(a.url)) {
        var link = add(cite, el('a', null, a.label));
        link.href = a.url;
        link.target = '_blank';
        link.rel = 'noopener noreferrer';
      } else {
        add(cite, a.label);
      }
      if (a.date) { add(cite, sep + a.date); }
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
  function draw(map, D) {
    pane(map, 'fm-base', 150, true);
    pane(map, 'fm-labels', 450, true);
    pane(map, 'fm-sites', 610, false);
    pane(map, 'fm-places', 620, false);
    var overlays = {};

    L.geoJSON(D.base.land, {pane: 'fm-base', interactive: false, style: D.base.land_style})
      .addTo(map);
    L.geoJSON(D.base.borders, {pane: 'fm-base', interactive: false, style: D.base.border_style})
      .addTo(map);
    var towns = L.layerGroup();
    D.base.countries.forEach(function (c) {
      label(c[1], c[2], 'fm-country', c[0]).addTo(towns);
    });
    D.base.towns.forEach(function (t) {
      label(t[1], t[2], 'fm-town', '<i></i>' + t[0]).addTo(towns);
    });
    towns.addTo(map);

    if (D.online) {
      overlays[D.online.label] = L.tileLayer(D.online.url, {
        attribution: D.online.attribution, maxZoom: 19
      });
    }

    // Thematic layers are re-filtered by date: a feature shows on day d when
    // valid_from <= d <= valid_to (both inclusive, null = open).
    var state = {date: D.as_of};
    function valid(f) {
      var p = f.properties, d = state.date;
      return !d || ((!p.vf || p.vf <= d) && (!p.vt || d <= p.vt));
    }
    var thematic = [];
    D.layers.forEach(function (layer) {
      var g = L.geoJSON(null, {
        filter: valid,
        style: function (f) { return f.properties.style; },
        pointToLayer: function (f, ll) {
          return L.marker(ll, {
            pane: 'fm-sites',
            icon: L.divIcon({className: 'fm-site', iconSize: [14, 14], html: f.properties.icon})
          });
        },
        onEachFeature: function (f, l) {
          l.bindTooltip(f.properties.tip, {sticky: true, className: 'fm-tip'});
        }
      });
      g.addData(layer.data);
      g.addTo(map);
      thematic.push({g: g, data: layer.data});
      overlays[layer.label] = g;
    });
    function setDate(d) {
      if (d === state.date) { return; }
      state.date = d;
      thematic.forEach(function (t) { t.g.clearLayers(); t.g.addData(t.data); });
    }

    var P = D.places, container = map.getContainer(), pending = true;
    // The map is ready when its markers are on it: at once, or when the
    // cluster group has finished clustering them (in chunks, to stay responsive).
    function ready() {
      if (!pending) { return; }
      pending = false;
      container.setAttribute('data-frontmap-ready', String(markers.length));
    }
    var group = P.cluster
      ? L.markerClusterGroup({maxClusterRadius: 40, showCoverageOnHover: false,
                              spiderfyOnMaxZoom: true, chunkedLoading: true,
                              chunkProgress: function (done, total) {
                                if (done === total) { ready(); }
                              }})
      : L.featureGroup();
    var markers = P.rows.map(function (r) {
      var o = L.extend({pane: 'fm-places', className: 'fm-place fm-p' + r[2]}, P.styles[r[2]]);
      var m = L.circleMarker([r[0], r[1]], o);
      // Built when first shown, from text (never parsed as HTML).
      m.bindTooltip(function () { return document.createTextNode(r[3]); },
                    {className: 'fm-tip'});
      m.bindPopup(function () { return popup(D, r); }, {maxWidth: 380, className: 'fm-popup'});
      m.fmArticles = r[5];
      return m;
    });
    if (P.cluster) { group.addLayers(markers); }
    else { markers.forEach(function (m) { group.addLayer(m); }); }
    group.addTo(map);
    overlays[P.label] = group;
    overlays[D.base.towns_label] = towns;

    control('topright', 'fm-box fm-title', D.title_html).addTo(map);
    L.control.layers(null, overlays, {collapsed: true, position: 'topright'}).addTo(map);
    control('bottomright', 'fm-box fm-legend', D.legend_html).addTo(map);
    if (D.filter_html) {
      var f = control('bottomleft', 'fm-box fm-filter', D.filter_html);
      f.addTo(map);
    }
    map.attributionControl.addAttribution(D.attribution_html);
    var entry = {map: map, group: group, markers: markers, cluster: !!P.cluster, reset: null};
    if (D.filter_html) {
      entry.reset = setupFilter(map, f.getContainer(), group, markers, D, setDate);
    }
    registry[container.id] = entry;
    if (!P.cluster) { ready(); }
    return {places: group, markers: markers, overlays: overlays};
  }
  // Open the popup of marker i of the map whose element has the given id
  // (used by the report's links); false when there is no such marker.
  function show(id, i) {
    var e = registry[id], m = e && e.markers[i];
    if (!m) { return false; }
    var map = e.map, group = e.group;
    if (!map.hasLayer(group)) { group.addTo(map); }
    if (!group.hasLayer(m) && e.reset) { e.reset(); }
    function open() { m.openPopup(); }
    if (!e.cluster || (map.hasLayer(m) && map.getBounds().contains(m.getLatLng()))) {
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
    var id = (a.getAttribute('href') || '').slice(1), el = document.getElementById(id);
    if (!el || !show(id, Number(a.getAttribute('data-fm-i')))) { return; }
    ev.preventDefault();
    var was = document.querySelectorAll('.fm-current');
    for (var k = 0; k < was.length; k++) { was[k].classList.remove('fm-current'); }
    a.classList.add('fm-current');
    el.scrollIntoView({block: 'center'});
  }
  function setupFilter(map, box, group, markers, D, setDate) {
    var select = box.querySelector('select');
    var range = box.querySelector('input[type=range]');
    var out = box.querySelector('output');
    var asof = map.getContainer().querySelector('.fm-asof');
    var dates = D.articles.map(function (a) { return a.date || ''; });
    var all = dates.concat(D.as_of ? [D.as_of] : []).filter(function (d) { return d; }).sort();
    var days = all.filter(function (d, i) { return i === 0 || d !== all[i - 1]; });
    if (range) {
      range.min = '0';
      range.max = String(Math.max(days.length - 1, 0));
      range.value = String(D.as_of ? days.indexOf(D.as_of) : days.length - 1);
    }
    // all: every article's places whatever their date; first: the group
    // already holds every marker (nothing to add or remove).
    function apply(all, first) {
      var which = select ? select.value : 'all';
      var until = (range && days.length) ? days[Number(range.value)] : D.as_of;
      if (out) { out.textContent = until || ''; }
      if (asof && until) { asof.textContent = 'As of ' + until; }
      setDate(until || null);
      var keep = [], drop = [];
      markers.forEach(function (m) {
        var ok = m.fmArticles.some(function (i) {
          if (which !== 'all' && String(i) !== which) { return false; }
          return all === true || !until || !dates[i] || dates[i] <= until;
        });
        (ok ? keep : drop).push(m);
      });
      if (first) { /* as drawn */ }
      else if (D.places.cluster) { group.removeLayers(drop); group.addLayers(keep); }
      else {
        drop.forEach(function (m) { group.removeLayer(m); });
        keep.forEach(function (m) { group.addLayer(m); });
      }
      map.getContainer().setAttribute('data-frontmap-shown', String(keep.length));
    }
    if (select) {
      select.addEventListener('change', function () {
        // Choosing one article moves the date to that article's date.
        var d = select.value === 'all' ? D.as_of : dates[Number(select.value)];
        if (range && d && days.indexOf(d) >= 0) { range.value = String(days.indexOf(d)); }
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
  var registry = {};
  document.addEventListener('click', onLink);
  window.frontmap = {draw: draw, show: show, maps: registry};
})();
