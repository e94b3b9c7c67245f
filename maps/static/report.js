(function () {
  var D = JSON.parse(document.getElementById('fm-report-data').textContent);
  var S = D.strings, sep = ' \u00b7 ';
  var texts = document.querySelectorAll('.fm-text[data-fm-a]');
  for (var t = 0; t < texts.length; t++) {
    var k = texts[t].getAttribute('data-fm-a'), links = texts[t].querySelectorAll('a');
    for (var n = 0; n < links.length; n++) { links[n].id = 'fm-t' + k + '-' + n; }
  }
  function el(tag, text) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  // Each cell names its column (data-label): a phone shows a row as a card.
  function cell(tr, cls) {
    var td = tr.appendChild(el('td'));
    if (cls) { td.className = cls; }
    td.setAttribute('data-label', HEAD[tr.children.length - 1]);
    return td;
  }
  function anchor(parent, href, text) {
    var a = parent.appendChild(el('a', text));
    a.setAttribute('href', href);
    return a;
  }
  function coord(lat, lon) {
    return Math.abs(lat).toFixed(4) + '\u00b0' + (lat >= 0 ? 'N' : 'S') + ' ' +
      Math.abs(lon).toFixed(4) + '\u00b0' + (lon >= 0 ? 'E' : 'W');
  }
  // r = [article, name, kind, lat, lon, country, theatre, [zones], control, km,
  //      [map, marker] or null, [toponym numbers in the text], mentions]
  // One table per article, each laid out only when in view (content-visibility);
  // fixed layout and the same column widths keep their columns aligned.
  var HEAD = ['Place', 'Kind', 'Coordinates', 'Theatre', 'Zones', 'Control', 'Front (km)',
              'Mentions'];
  var WIDTHS = ['16%', '10%', '16%', '14%', '12%', '14%', '8%', '10%'];
  var count = {};
  D.rows.forEach(function (r) { count[r[0]] = (count[r[0]] || 0) + 1; });
  function table(k) {
    var box = el('div');
    box.className = 'fm-table-box';
    box.style.containIntrinsicSize = 'auto ' + (70 + 26 * count[k]) + 'px';
    var t = box.appendChild(el('table'));
    t.className = 'fm-places';
    anchor(t.appendChild(el('caption')), '#fm-a' + k, D.articles[k]);
    var cols = t.appendChild(el('colgroup'));
    WIDTHS.forEach(function (w) { cols.appendChild(el('col')).style.width = w; });
    var head = t.appendChild(el('thead')).appendChild(el('tr'));
    HEAD.forEach(function (h, i) { head.appendChild(el('th', h)).className = i > 5 ? 'n' : ''; });
    frag.appendChild(box);
    return t.appendChild(el('tbody'));
  }
  var frag = document.createDocumentFragment(), body = null, last = null, j = 0;
  D.rows.forEach(function (r) {
    var tr;
    if (r[0] !== last) {
      last = r[0];
      j = 0;
      body = table(r[0]);
    }
    tr = body.appendChild(el('tr'));
    tr.id = 'fm-p' + r[0] + '-' + j++;
    var name = cell(tr);
    if (r[10]) {
      anchor(name, '#' + D.maps[r[10][0]], r[1]).setAttribute('data-fm-i', String(r[10][1]));
    } else {
      name.textContent = r[1];
    }
    cell(tr).textContent = S[r[2]];
    var where = r[3] !== null ? coord(r[3], r[4]) : '';
    if (r[5] !== null) { where += (where ? sep : '') + S[r[5]]; }
    cell(tr).textContent = where;
    var theatre = cell(tr);
    if (r[6] === null) { theatre.textContent = 'outside every theatre'; }
    else if (D.theatre_maps[r[6]] !== undefined) {
      anchor(theatre, '#fm-map-' + D.maps[D.theatre_maps[r[6]]], S[r[6]]);
    } else { theatre.textContent = S[r[6]]; }
    var zones = cell(tr);
    r[7].forEach(function (z, i) {
      if (i) { zones.appendChild(el('br')); }
      zones.appendChild(document.createTextNode(S[z]));
    });
    cell(tr).textContent = r[8] !== null ? S[r[8]] : '';
    cell(tr, 'n').textContent = r[9] !== null ? r[9].toFixed(1) : '';
    var mentions = cell(tr, 'n');
    mentions.textContent = String(r[12]);
    r[11].forEach(function (n, i) {
      mentions.appendChild(document.createTextNode(' '));
      anchor(mentions, '#fm-t' + r[0] + '-' + n, '\u2191' + (i + 1)).title =
        'Mention ' + (i + 1) + ' in the text';
    });
  });
  document.getElementById('fm-tables').appendChild(frag);
  document.getElementById('fm-places').setAttribute('data-frontmap-table', String(D.rows.length));
})();
