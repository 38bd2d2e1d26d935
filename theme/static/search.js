/* zhuanlan search: reads the static index under search-index/ (written by generator/search_index.py).
   No framework, no word segmenter: a query is cut into character pairs (bigrams), so every
   browser finds the same records. The query and filters live in the URL. */
(function () {
  'use strict';
  var form = document.querySelector('form[data-index]');
  if (!form || !window.fetch || !window.URLSearchParams) { return; }
  var base = form.getAttribute('data-index');
  var root = form.getAttribute('data-root');
  var input = form.querySelector('#q');
  var statusBox = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var more = document.getElementById('search-more');
  var FACETS = ['kind', 'region', 'field', 'status'];
  var PAGE = 20;
  var files = {};
  var meta = null;
  var big = {};
  var current = null;
  var sequence = 0;

  function fold(text) {  // the same one-to-one mapping as search_docs.fold
    var out = '';
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c >= 65 && c <= 90) { c += 32; } else if (c >= 0xFF21 && c <= 0xFF3A) { c = c - 0xFF21 + 97; } else if (c >= 0xFF01 && c <= 0xFF5E) { c -= 0xFEE0; } else if (c === 0x3000) { c = 32; }
      out += String.fromCharCode(c);
    }
    return out;
  }

  function fetchBytes(name) {
    if (!files[name]) {
      files[name] = fetch(base + name).then(function (r) {
        if (!r.ok) { throw new Error(name + ' ' + r.status); }
        return r.arrayBuffer();
      }).then(function (b) { return new Uint8Array(b); });
    }
    return files[name];
  }

  function loadMeta() {
    if (!files['meta.json']) {
      files['meta.json'] = fetch(base + 'meta.json').then(function (r) {
        if (!r.ok) { throw new Error('meta.json ' + r.status); }
        return r.json();
      }).then(function (m) {
        meta = m;
        var pairs = Array.from(m.big);
        for (var i = 0; i + 1 < pairs.length; i += 2) { big[pairs[i] + pairs[i + 1]] = true; }
        return m;
      });
    }
    return files['meta.json'];
  }

  function Reader(bytes, at) { this.b = bytes; this.at = at || 0; }
  Reader.prototype.varint = function () {
    var n = 0, shift = 1, byte;
    do { byte = this.b[this.at++]; n += (byte & 127) * shift; shift *= 128; } while (byte & 128);
    return n;
  };

  function decodeNumbers(reader) {  // search_index.encode_numbers
    var form = reader.b[reader.at++], count = reader.varint(), ids = new Int32Array(count), i = 0;
    if (form === 0) {
      for (var last = 0; i < count; i++) { last += reader.varint(); ids[i] = last; }
    } else {
      var size = (meta.docs + 7) >> 3;
      for (var byte = 0; byte < size; byte++) {
        var v = reader.b[reader.at + byte];
        for (var bit = 0; v; bit++, v >>= 1) { if (v & 1) { ids[i++] = byte * 8 + bit; } }
      }
      reader.at += size;
    }
    return ids;
  }

  function decodeSigs(bytes, at, count) {
    var sigs = new Uint16Array(count);
    for (var i = 0; i < count; i++, at += 2) { sigs[i] = bytes[at] | (bytes[at + 1] << 8); }
    return sigs;
  }

  function decodeList(bytes, at) {
    var reader = new Reader(bytes, at || 0), ids = decodeNumbers(reader);
    return {ids: ids, sigs: decodeSigs(bytes, reader.at, ids.length)};
  }

  function mul32(a, b) { return Math.imul(a, b) >>> 0; }
  function shardOf(first, second) {  // search_index.shard_of
    var h = (mul32(first, 0x9E3779B1) ^ mul32(second, 0x85EBCA77)) >>> 0;
    h = mul32((h ^ (h >>> 15)) >>> 0, 0x2C1B3C6D);
    return ((h ^ (h >>> 13)) >>> 0) % meta.shards;
  }

  // A bigram's posting list {ids, sigs}; of a big list without its signatures unless withSigs
  // (sigs is then null).
  function postings(pair, withSigs) {
    var chars = Array.from(pair), first = chars[0].codePointAt(0), second = chars[1].codePointAt(0);
    if (big[pair]) {
      var name = 'b/' + first.toString(16) + '-' + second.toString(16);
      return Promise.all([fetchBytes(name + '.bin'), withSigs ? fetchBytes(name + '.sig') : null]).then(function (b) {
        var ids = decodeNumbers(new Reader(b[0], 0));
        return {ids: ids, sigs: b[1] ? decodeSigs(b[1], 0, ids.length) : null};
      });
    }
    return fetchBytes('s/' + shardOf(first, second) + '.bin').then(function (b) {
      var r = new Reader(b, 0), count = r.varint(), offset = 0, found = -1, length = 0;
      for (var i = 0; i < count; i++) {
        var a = r.varint(), c = r.varint(), n = r.varint();
        if (found < 0 && a === first && c === second) { found = offset; length = n; }
        offset += n;
      }
      return found < 0 ? {ids: new Int32Array(0), sigs: new Uint16Array(0)} : decodeList(b.subarray(r.at + found, r.at + found + length), 0);
    });
  }

  function rot(mask, k, width) {  // rotate right by k within width bits
    k %= width;
    var full = (1 << width) - 1;
    return k ? ((mask >> k) | (mask << (width - k))) & full : mask;
  }

  // Which of a term's bigrams need their signatures: all but each big one (a long list in files
  // of its own) whose two characters the bigrams before and after it already place. 乡村振兴
  // takes the positions of 乡村 and 振兴 and only the document numbers of 村振: the same
  // results, and a third fewer bytes.
  function needSigs(chars) {
    var need = [], i;
    for (i = 0; i + 1 < chars.length; i++) { need.push(true); }
    for (i = 1; i + 1 < need.length; i++) {
      if (big[chars[i] + chars[i + 1]] && need[i - 1]) { need[i] = false; }
    }
    return need;
  }

  // One term: the documents holding all its bigrams, with signatures that let them stand side by side.
  function findTerm(chars) {
    var need = needSigs(chars), pairs = [];
    for (var i = 0; i + 1 < chars.length; i++) { pairs.push(chars[i] + chars[i + 1]); }
    return Promise.all(pairs.map(function (pair, k) { return postings(pair, need[k]); })).then(function (lists) {
      var found = new Map(), pointers = lists.map(function () { return 0; });
      var shortest = lists.reduce(function (a, b) { return b.ids.length < a.ids.length ? b : a; });
      for (var s = 0; s < shortest.ids.length; s++) {
        var doc = shortest.ids[s], m7 = 127, m8 = 255, title = 128, present = true;
        for (var k = 0; k < lists.length && present; k++) {
          var ids = lists[k].ids, p = pointers[k];
          while (p < ids.length && ids[p] < doc) { p++; }
          pointers[k] = p;
          if (p >= ids.length || ids[p] !== doc) { present = false; break; }
          if (!lists[k].sigs) { continue; }
          var sig = lists[k].sigs[p];
          m7 &= rot(sig & 127, k, 7); m8 &= rot(sig >> 8, k, 8); title &= sig;
        }
        if (present && m7 && m8) { found.set(doc, (title ? 100 : 0) + popcount(m8)); }
      }
      return found;
    });
  }

  function popcount(v) { var n = 0; for (; v; v >>= 1) { n += v & 1; } return n; }

  function filterSet(facet, values) {
    return Promise.all(values.map(function (value) {
      if ((meta.filters[facet] || []).indexOf(value) < 0) { return new Int32Array(0); }
      return fetchBytes('f/' + facet + '/' + encodeURIComponent(value) + '.bin').then(function (b) { return decodeNumbers(new Reader(b, 0)); });
    })).then(function (lists) {
      var chosen = new Uint8Array(meta.docs);
      lists.forEach(function (ids) { for (var i = 0; i < ids.length; i++) { chosen[ids[i]] = 1; } });
      return chosen;
    });
  }

  function parseQuery(params) {
    var terms = fold(params.get('q') || '').split(/\s+/).filter(Boolean).map(function (t) { return Array.from(t); });
    var filters = {};
    FACETS.forEach(function (f) {
      var values = params.getAll(f).filter(Boolean);
      if (values.length) { filters[f] = values; }
    });
    return {text: (params.get('q') || '').trim(), terms: terms.filter(function (t) { return t.length >= 2; }),
            short: terms.some(function (t) { return t.length < 2; }), filters: filters, sort: params.get('sort') || ''};
  }

  // Every matching document number, best first: {ids, scores}.
  function run(query) {
    return loadMeta().then(function () {
      var facets = Object.keys(query.filters);
      return Promise.all([Promise.all(query.terms.map(findTerm)),
        Promise.all(facets.map(function (f) { return filterSet(f, query.filters[f]); }))]);
    }).then(function (parts) {
      var termSets = parts[0], filterSets = parts[1], ids = [], scores = new Map();
      if (!termSets.length && !filterSets.length) { return {ids: ids, scores: scores}; }
      var candidates;
      if (termSets.length) {
        termSets.sort(function (a, b) { return a.size - b.size; });
        candidates = Array.from(termSets[0].keys());
      } else {
        candidates = [];
        for (var n = 0; n < meta.docs; n++) { candidates.push(n); }
      }
      candidates.forEach(function (doc) {
        var score = 0;
        for (var t = 0; t < termSets.length; t++) {
          var s = termSets[t].get(doc);
          if (s === undefined) { return; }
          score += s;
        }
        for (var f = 0; f < filterSets.length; f++) { if (!filterSets[f][doc]) { return; } }
        ids.push(doc); scores.set(doc, score);
      });
      ids.sort(query.sort === 'date' ? function (a, b) { return b - a; }
        : function (a, b) { return (scores.get(b) - scores.get(a)) || (b - a); });
      return {ids: ids, scores: scores};
    });
  }

  function loadDoc(n) {
    if (!files['d' + n]) {
      files['d' + n] = fetch(base + 'd/' + n + '.json').then(function (r) {
        if (!r.ok) { throw new Error('d/' + n + '.json ' + r.status); }
        return r.json();
      });
    }
    return files['d' + n];
  }

  function contains(doc, terms) {
    var text = fold(doc.t + '\n' + doc.b);
    return terms.every(function (t) { return text.indexOf(t.join('')) >= 0; });
  }

  // text with every occurrence of the terms in <mark>, built as DOM nodes (never as HTML)
  function highlighted(parent, text, terms) {
    var folded = fold(text), marks = [];
    terms.forEach(function (t) {
      var word = t.join(''), at = folded.indexOf(word);
      while (at >= 0) { marks.push([at, at + word.length]); at = folded.indexOf(word, at + word.length); }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var at = 0;
    marks.forEach(function (m) {
      if (m[0] < at) { return; }
      parent.appendChild(document.createTextNode(text.slice(at, m[0])));
      var mark = document.createElement('mark');
      mark.textContent = text.slice(m[0], m[1]);
      parent.appendChild(mark);
      at = m[1];
    });
    parent.appendChild(document.createTextNode(text.slice(at)));
  }

  function snippet(doc, terms) {
    var body = doc.b.replace(/\s+/g, ' '), folded = fold(body), first = -1;
    terms.forEach(function (t) {
      var at = folded.indexOf(t.join(''));
      if (at >= 0 && (first < 0 || at < first)) { first = at; }
    });
    var start = Math.max(0, first - 30), end = Math.min(body.length, Math.max(first, 0) + 90);
    return (start > 0 ? '…' : '') + body.slice(start, end) + (end < body.length ? '…' : '');
  }

  function item(doc, terms) {
    var li = document.createElement('li'), h = document.createElement('h2'), a = document.createElement('a');
    li.className = 'item';
    h.className = 'item-title';
    a.href = root + doc.u;
    highlighted(a, doc.t, terms);
    h.appendChild(a);
    var metaLine = document.createElement('p');
    metaLine.className = 'meta';
    [doc.k, doc.s, doc.p, doc.f.join('、'), doc.d].forEach(function (value) {
      if (value) { var span = document.createElement('span'); span.textContent = value; metaLine.appendChild(span); }
    });
    var text = document.createElement('p');
    highlighted(text, snippet(doc, terms), terms);
    li.appendChild(h); li.appendChild(metaLine); li.appendChild(text);
    return li;
  }

  function announce(state) {
    var q = state.query, total = state.ids.length;
    if (!q.terms.length && !Object.keys(q.filters).length) {
      statusBox.textContent = q.short ? '请输入至少两个字。' : '';
    } else if (!total) {
      statusBox.textContent = q.text ? '没有找到包含“' + q.text + '”的内容。' : '没有符合条件的内容。';
    } else {
      statusBox.textContent = '找到 ' + total + ' 条结果' + (q.text ? '（“' + q.text + '”）' : '') + '。' +
        (q.short ? '单个字不参与搜索。' : '');
    }
  }

  // Show the next page of results; documents that do not really contain the terms
  // (they passed the index's signature test only) are dropped and not counted.
  function showMore(state) {
    var wanted = state.shown + PAGE, own = sequence;
    function step() {
      if (own !== sequence || state.shown >= Math.min(wanted, state.ids.length)) { return Promise.resolve(); }
      var batch = state.ids.slice(state.shown, Math.min(wanted, state.ids.length));
      return Promise.all(batch.map(loadDoc)).then(function (docs) {
        if (own !== sequence) { return; }
        var kept = [];
        docs.forEach(function (doc, i) { if (contains(doc, state.query.terms)) { kept.push([batch[i], doc]); } });
        var dropped = batch.length - kept.length;
        if (dropped) {
          var gone = new Set(batch.filter(function (n, i) { return !contains(docs[i], state.query.terms); }));
          state.ids = state.ids.filter(function (n) { return !gone.has(n); });
        }
        kept.forEach(function (pair) { list.appendChild(item(pair[1], state.query.terms)); });
        state.shown += kept.length;
        return step();
      });
    }
    return step().then(function () {
      more.hidden = state.shown >= state.ids.length;
    });
  }

  function fillForm(params) {
    input.value = params.get('q') || '';
    form.querySelectorAll('input[type=checkbox]').forEach(function (box) {
      box.checked = params.getAll(box.name).indexOf(box.value) >= 0;
    });
    form.querySelectorAll('select').forEach(function (select) {
      var value = params.get(select.name) || '';
      select.value = Array.prototype.some.call(select.options, function (o) { return o.value === value; }) ? value : '';
    });
    if (FACETS.some(function (f) { return params.getAll(f).filter(Boolean).length; }) || params.get('sort')) {
      form.querySelector('details').open = true;
    }
  }

  function search(params) {
    var own = ++sequence, started = performance.now(), query = parseQuery(params);
    form.setAttribute('aria-busy', 'true');
    return run(query).then(function (result) {
      if (own !== sequence) { return; }
      list.textContent = '';
      current = {query: query, ids: result.ids, shown: 0};
      return showMore(current).then(function () {
        if (own !== sequence) { return; }
        announce(current);
        form.removeAttribute('aria-busy');
        form.lastResult = {ids: current.ids.slice(), ms: performance.now() - started, sequence: own};
        document.body.setAttribute('data-search-done', String(own));
      });
    }).catch(function (error) {
      if (own !== sequence) { return; }
      form.removeAttribute('aria-busy');
      statusBox.textContent = '搜索暂时不可用，请稍后再试，或按地区、领域浏览。';
      document.body.setAttribute('data-search-done', String(own));
      if (window.console) { console.error(error); }
    });
  }

  function paramsOfForm() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value !== '') { params.append(key, value); } });
    return params;
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var params = paramsOfForm(), query = params.toString();
    history.pushState(null, '', query ? '?' + query : location.pathname);
    search(params);
  });
  more.addEventListener('click', function () {
    if (!current) { return; }
    var before = current.shown;
    showMore(current).then(function () {
      var next = list.children[before];
      if (next) { next.querySelector('a').focus(); }
    });
  });
  window.addEventListener('popstate', function () {
    var params = new URLSearchParams(location.search);
    fillForm(params);
    search(params);
  });
  var initial = new URLSearchParams(location.search);
  fillForm(initial);
  search(initial);
}());
