
// oaslint's HTML report: reads the JSON blobs above and draws the page. Everything taken
// from the documents is inserted as text (textContent, attributes), never as markup.
(function () {
  'use strict';

  var SEVERITIES = ['error', 'warning', 'info', 'hint'];
  // Rows per table of the matrix: what the browser lays out when it comes into view.
  var CHUNK = 40;
  var ROW_HEIGHT = 26;
  // Operations drawn before the page first shows; the rest of a long run as it scrolls.
  var EAGER_OPERATIONS = 2500;
  var SYMBOL = { ok: '\u2713', finding: '!', missing: '\u2717', disallowed: '\u2298', none: '' };
  var STATE_TEXT = {
    ok: 'declared, no finding',
    finding: 'declared, with a finding',
    missing: 'required by the ruleset, not declared',
    disallowed: 'declared, but not allowed here',
    none: 'not declared'
  };

  var runNode = document.getElementById('oaslint-run');
  if (!runNode) { return; }
  var run = JSON.parse(runNode.textContent);
  var docs = Array.prototype.map.call(document.querySelectorAll('script.oaslint-document'), function (node) {
    return JSON.parse(node.textContent);
  });
  var rules = {};
  run.rules.forEach(function (rule) { rules[rule.id] = rule; });

  var filter = { severities: { error: true, warning: true, info: true, hint: true }, rule: '', tag: '', only: false, query: '' };

  // ---- Small DOM helpers: text only -------------------------------------------------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) { continue; }
      parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return parent;
  }
  function safeHref(href) {
    return typeof href === 'string' && /^(file:|https:|\.\/)/.test(href) ? href : null;
  }
  function link(href, text, title) {
    var safe = safeHref(href);
    var node = el(safe ? 'a' : 'span', null, text);
    if (safe) { node.href = safe; }
    if (title) { node.title = title; }
    return node;
  }
  function plural(n, one, many) { return n.toLocaleString('en') + ' ' + (n === 1 ? one : many); }

  // ---- The data, prepared -----------------------------------------------------------
  function columnRank(code) {
    if (/^[1-5][0-9][0-9]$/.test(code)) { return [0, Number(code)]; }
    if (/^[1-5]XX$/.test(code)) { return [1, Number(code[0])]; }
    if (code === 'default') { return [2, 0]; }
    return [3, 0];
  }
  function compareColumns(a, b) {
    var x = columnRank(a), y = columnRank(b);
    return x[0] - y[0] || x[1] - y[1] || (a < b ? -1 : a > b ? 1 : 0);
  }
  function groupOf(op) {
    if (op.t && op.t.length) { return op.t[0]; }
    if (op.w) { return 'webhooks'; }
    var segment = op.p.split('/').filter(function (part) { return part !== ''; })[0];
    return segment === undefined ? '/' : '/' + segment;
  }

  var allTags = [];
  var allRules = {};
  docs.forEach(function (doc, docIndex) {
    doc.index = docIndex;
    var columns = {};
    doc.ops.forEach(function (op, index) {
      op.index = index;
      op.doc = doc;
      op.declared = {};
      op.r.forEach(function (response) { op.declared[response.c] = response; columns[response.c] = true; });
      op.findings = [];
      op.byCell = {};
      op.states = {};
      op.group = groupOf(op);
    });
    doc.docFindings = [];
    doc.findings.forEach(function (finding) {
      finding.doc = doc;
      allRules[finding.r] = (allRules[finding.r] || 0) + 1;
      // Its cells: [operation, column or null, 'missing' / 'disallowed' or null]; a
      // shared definition's fault marks each operation that uses it.
      var ops = [];
      finding.columns = [];
      (finding.a || []).forEach(function (cell) {
        var op = doc.ops[cell[0]];
        if (!op) { return; }
        if (ops.indexOf(op) < 0) { ops.push(op); op.findings.push(finding); }
        var column = cell[1];
        if (column === null || column === undefined) { return; }
        columns[column] = true;
        if (finding.columns.indexOf(column) < 0) { finding.columns.push(column); }
        (op.byCell[column] = op.byCell[column] || []).push(finding);
        if (cell[2]) { (op.states[column] = op.states[column] || []).push([finding, cell[2]]); }
      });
      if (!ops.length) { doc.docFindings.push(finding); }
    });
    doc.columns = Object.keys(columns).sort(compareColumns);
    // Groups: the document's own tag order first, then as they come.
    var order = {};
    doc.tags.forEach(function (tag, i) { order[tag] = i; });
    var groups = [], byName = {};
    doc.ops.forEach(function (op) {
      var group = byName[op.group];
      if (!group) {
        group = byName[op.group] = { name: op.group, ops: [], first: groups.length };
        groups.push(group);
      }
      group.ops.push(op);
      (op.t && op.t.length ? op.t : [op.group]).forEach(function (tag) {
        if (allTags.indexOf(tag) < 0) { allTags.push(tag); }
      });
    });
    groups.sort(function (a, b) {
      var x = a.name in order ? order[a.name] : Infinity, y = b.name in order ? order[b.name] : Infinity;
      return x - y || a.first - b.first;
    });
    doc.groups = groups;
  });

  function visible(finding) {
    return filter.severities[finding.s] && (!filter.rule || finding.r === filter.rule);
  }
  function counts(finding) { return visible(finding) && !finding.sup; }

  function cellState(op, column) {
    var declared = Object.prototype.hasOwnProperty.call(op.declared, column);
    var found = (op.byCell[column] || []).filter(counts);
    var marked = (op.states[column] || []).filter(function (mark) { return counts(mark[0]); });
    var marks = function (state) { return marked.some(function (mark) { return mark[1] === state; }); };
    if (declared) {
      if (marks('disallowed')) { return 'disallowed'; }
      return found.length ? 'finding' : 'ok';
    }
    return marks('missing') ? 'missing' : 'none';
  }
  function worst(findings) {
    for (var i = 0; i < SEVERITIES.length; i++) {
      for (var j = 0; j < findings.length; j++) {
        if (findings[j].s === SEVERITIES[i]) { return SEVERITIES[i]; }
      }
    }
    return 'hint';
  }
  function where(doc, file, line, column) {
    var text = doc.files[file] + ':' + line + (column ? ':' + column : '');
    return link(doc.hrefs[file], text, 'Open ' + doc.files[file] + ' (line ' + line + ')');
  }
  function codeLabel(doc, code) {
    var reason = doc.reasons[code];
    return reason ? code + ' ' + reason : code;
  }

  // ---- Header, toolbar, legend --------------------------------------------------------
  var app = document.getElementById('app');

  function header() {
    var top = el('header', 'top');
    var title = el('h1', null, 'oaslint ');
    add(title, el('span', null, 'response map'));
    add(top, title);
    var meta = el('p', 'meta');
    add(meta, 'Checked ', el('b', null, plural(run.summary.files, 'file', 'files')), ' in ' + run.elapsed);
    if (run.ruleset) { add(meta, ' against the ', el('b', null, run.ruleset), ' ruleset'); }
    add(meta, ' · oaslint ' + run.tool + ' · exit code ' + run.exitCode);
    add(top, meta);
    var list = el('ul', 'docs-list');
    docs.forEach(function (doc) {
      var item = el('li');
      var name = doc.other ? 'Other files' : doc.file;
      var a = el('a', null, name);
      a.href = '#doc-' + doc.index;
      add(item, a);
      var about = [doc.title, doc.version, doc.spec].filter(Boolean).join(' · ');
      if (about) { add(item, ' (' + about + ')'); }
      add(item, ': ' + (doc.other ? plural(doc.findings.length, 'finding', 'findings')
        : plural(doc.ops.length, 'operation', 'operations') + ', ' + plural(doc.findings.length, 'finding', 'findings')));
      add(list, item);
    });
    add(top, list);
    var totals = el('div', 'totals');
    var summary = run.summary;
    [['error', summary.errors, 'error', 'errors'], ['warning', summary.warnings, 'warning', 'warnings'],
      ['info', summary.infos, 'info', 'infos'], ['hint', summary.hints, 'hint', 'hints'],
      ['suppressed', summary.suppressed, 'suppressed', 'suppressed']].forEach(function (row) {
      var chip = el('span', 'chip ' + row[0] + (row[1] ? '' : ' zero'));
      add(chip, el('b', null, row[1].toLocaleString('en')), row[1] === 1 ? row[2] : row[3]);
      add(totals, chip);
    });
    add(top, totals);
    var byRule = run.byRule.filter(function (row) { return row.count > 0 || row.suppressed > 0; });
    if (byRule.length) {
      var details = el('details', 'rules');
      details.open = true;
      add(details, el('summary', null, 'Findings per rule (' + byRule.length + ')'));
      var table = el('table', 'counts');
      var head = el('tr');
      var anySuppressed = byRule.some(function (row) { return row.suppressed > 0; });
      ['severity', 'count', 'rule', 'what it checks', anySuppressed ? 'suppressed' : null].forEach(function (name) {
        if (name) { add(head, el('th', null, name)); }
      });
      add(table, head);
      byRule.forEach(function (row) {
        var tr = el('tr');
        add(tr, add(el('td'), el('span', 'sev ' + row.severity, row.severity)), el('td', 'n', row.count.toLocaleString('en')));
        var rule = rules[row.rule];
        add(tr, add(el('td'), rule ? link(rule.url, row.rule) : el('code', null, row.rule)));
        add(tr, el('td', null, rule ? rule.summary : ''), anySuppressed ? el('td', 'n', row.suppressed ? String(row.suppressed) : '') : null);
        add(table, tr);
      });
      add(details, table);
      add(top, details);
    }
    if (run.omitted > 0) {
      add(top, el('p', 'note', plural(run.omitted, 'more finding was', 'more findings were') +
        ' not listed (--max-problems); the counts include them.'));
    }
    if (run.quiet) {
      add(top, el('p', 'note', 'Only findings at or above ' + run.failOn + ' are listed (--quiet); the counts include all.'));
    }
    return top;
  }

  var shownNode;
  function toolbar() {
    var bar = el('div', 'toolbar');
    bar.setAttribute('role', 'search');
    var severities = el('fieldset', 'severities');
    add(severities, el('legend', null, 'Severity'));
    var totals = { error: run.summary.errors, warning: run.summary.warnings, info: run.summary.infos, hint: run.summary.hints };
    SEVERITIES.forEach(function (severity) {
      var label = el('label', 'sev-filter');
      var box = el('input');
      box.type = 'checkbox';
      box.checked = true;
      box.name = 'severity';
      box.value = severity;
      box.addEventListener('change', function () { filter.severities[severity] = box.checked; refresh(); });
      add(label, box, el('span', 'sev ' + severity, severity), ' (' + totals[severity].toLocaleString('en') + ')');
      add(severities, label);
    });
    add(bar, severities);

    var ruleSelect = el('select');
    ruleSelect.id = 'filter-rule';
    add(ruleSelect, el('option', null, 'all rules'));
    ruleSelect.firstChild.value = '';
    Object.keys(allRules).sort().forEach(function (id) {
      var option = el('option', null, id + ' (' + allRules[id] + ')');
      option.value = id;
      add(ruleSelect, option);
    });
    ruleSelect.addEventListener('change', function () { filter.rule = ruleSelect.value; refresh(); });
    add(bar, add(el('label', null, 'Rule '), ruleSelect));

    var tagSelect = el('select');
    tagSelect.id = 'filter-tag';
    add(tagSelect, el('option', null, 'all tags'));
    tagSelect.firstChild.value = '';
    allTags.forEach(function (tag) {
      var option = el('option', null, tag);
      option.value = tag;
      add(tagSelect, option);
    });
    tagSelect.addEventListener('change', function () { filter.tag = tagSelect.value; refresh(); });
    add(bar, add(el('label', null, 'Tag '), tagSelect));

    var only = el('input');
    only.type = 'checkbox';
    only.id = 'filter-only';
    only.addEventListener('change', function () { filter.only = only.checked; refresh(); });
    add(bar, add(el('label'), only, 'only operations with findings'));

    var search = el('input');
    search.type = 'search';
    search.id = 'filter-search';
    search.placeholder = 'Search path or operationId';
    search.setAttribute('aria-label', 'Search path or operationId');
    var timer = null;
    search.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { filter.query = search.value.trim().toLowerCase(); refresh(); }, 120);
    });
    add(bar, search);
    shownNode = el('span', 'shown');
    shownNode.id = 'shown';
    add(bar, shownNode);
    return bar;
  }

  function legend() {
    var node = el('div', 'legend');
    add(node, el('span', null, 'Cells:'));
    ['ok', 'finding', 'missing', 'disallowed', 'none'].forEach(function (state) {
      var item = el('span', 'item');
      add(item, el('span', 'cell s-' + state, SYMBOL[state]), STATE_TEXT[state]);
      add(node, item);
    });
    add(node, el('span', 'hint', 'Click a cell or an operation to see its findings.'));
    return node;
  }

  // ---- A finding, in full -------------------------------------------------------------
  // A finding in full; `compact`: its message on one line, the rest on a click.
  function findingNode(finding, showCell, compact) {
    var doc = finding.doc;
    var box = el(compact ? 'details' : 'div', 'finding ' + finding.s + (finding.sup ? ' suppressed' : '') + (compact ? ' compact' : ''));
    var head = el(compact ? 'summary' : 'div', 'f-head');
    var rule = rules[finding.r];
    add(head, el('span', 'sev ' + finding.s, finding.s));
    add(head, rule ? link(rule.url, finding.r, 'The rule\'s documentation') : el('span', 'rule', finding.r));
    if (rule) { head.lastChild.className = 'rule'; }
    if (showCell && finding.columns.length) {
      add(head, el('span', 'cellref', finding.columns.map(function (column) { return codeLabel(doc, column); }).join(', ')));
    }
    if (finding.sup) { add(head, el('span', 'sup-note', finding.sup)); }
    if (compact) { add(head, el('span', 'msg', finding.m)); }
    var at = el('span', 'at');
    add(at, where(doc, finding.f, finding.l, finding.c));
    add(head, at);
    add(box, head);
    if (!compact) { add(box, el('p', 'msg', finding.m)); }
    if (finding.h) { add(box, add(el('p', 'help'), el('b', null, 'help: '), finding.h)); }
    if (rule && rule.summary) { add(box, add(el('p', 'rule-about'), el('b', null, finding.r + ': '), rule.summary)); }
    if (finding.rel && finding.rel.length) {
      var chain = el('ol', 'chain');
      finding.rel.forEach(function (related) {
        add(chain, add(el('li'), related[0] + ' — ', where(doc, related[1], related[2], related[3])));
      });
      add(box, chain);
    }
    var excerpt = finding.e === undefined ? null : doc.excerpts[finding.e];
    if (excerpt) {
      var pre = el('pre', 'excerpt');
      excerpt[1].forEach(function (text, i) {
        var number = excerpt[0] + i;
        var line = el('span', 'l' + (number === finding.l ? ' at' : ''));
        add(line, el('span', 'ln', number));
        if (number === finding.l && finding.mk) {
          var chars = Array.from(text);
          var from = Math.min(finding.mk[0], chars.length), to = Math.max(from, Math.min(finding.mk[1], chars.length));
          add(line, chars.slice(0, from).join(''), el('mark', null, chars.slice(from, to).join('')), chars.slice(to).join(''));
        } else {
          add(line, text);
        }
        add(pre, line);
      });
      add(box, pre);
    }
    return box;
  }

  function findingList(findings, showCell, compact) {
    var list = el('div', 'findings');
    var shown = findings.filter(visible);
    shown.forEach(function (finding) { add(list, findingNode(finding, showCell, compact)); });
    var hidden = findings.length - shown.length;
    if (hidden) { add(list, el('p', 'hidden-note', plural(hidden, 'more finding is', 'more findings are') + ' hidden by the filters.')); }
    if (!findings.length) { add(list, el('p', 'empty', 'No findings.')); }
    return list;
  }

  // ---- The matrix ---------------------------------------------------------------------
  var open = null; // { row, column, node }

  function opTitle(op) {
    var parts = [op.m + ' ' + (op.w ? 'webhook ' : '') + op.p];
    if (op.id) { parts.push('operationId: ' + op.id); }
    if (op.s) { parts.push(op.s); }
    if (op.d) { parts.push('deprecated'); }
    return parts.join('\n');
  }

  function cellTitle(op, column) {
    var doc = op.doc;
    var state = cellState(op, column);
    var lines = [op.m + ' ' + op.p + ' · ' + codeLabel(doc, column) + ': ' + STATE_TEXT[state]];
    var response = op.declared[column];
    if (response && response.d) { lines.push(response.d); }
    var found = (op.byCell[column] || []).filter(visible);
    found.slice(0, 5).forEach(function (finding) { lines.push(finding.s + ' [' + finding.r + '] ' + finding.m); });
    if (found.length > 5) { lines.push('… ' + (found.length - 5) + ' more'); }
    return lines.join('\n');
  }

  function paintCell(td, state) {
    if (td.state === state) { return; }
    td.state = state;
    td.className = 'c s-' + state + (td.classStart ? ' cls-start' : '');
    td.textContent = SYMBOL[state];
    if (state === 'none' || state === 'ok') { td.removeAttribute('tabindex'); } else { td.tabIndex = 0; }
  }

  function paintRow(row) {
    var op = row.op;
    var touched = {};
    op.r.forEach(function (response) { touched[response.c] = true; });
    Object.keys(op.byCell).forEach(function (column) { touched[column] = true; });
    Object.keys(touched).forEach(function (column) {
      var td = row.cellsByColumn[column];
      if (td) { paintCell(td, cellState(op, column)); }
    });
    var counted = op.findings.filter(counts);
    var badge = row.badge;
    if (counted.length) {
      badge.hidden = false;
      badge.textContent = String(counted.length);
      badge.className = 'count ' + worst(counted);
      badge.title = plural(counted.length, 'finding', 'findings');
    } else {
      badge.hidden = true;
    }
  }

  function renderDoc(doc) {
    var section = el('section', 'doc');
    section.id = 'doc-' + doc.index;
    var h2 = el('h2', null, doc.other ? 'Other files' : doc.file);
    var about = [doc.title, doc.version].filter(Boolean).join(' ');
    var sub = [about, doc.spec, doc.other ? null : plural(doc.ops.length, 'operation', 'operations')].filter(Boolean).join(' · ');
    if (sub) { add(h2, ' ', el('span', 'sub', sub)); }
    add(section, h2);
    doc.docList = el('div', 'doc-findings');
    add(section, doc.docList);
    doc.rows = [];
    if (doc.other) { return section; }
    if (!doc.ops.length) {
      add(section, el('p', 'empty', doc.spec ? 'The document declares no operations.' : 'The document could not be read as an OpenAPI document.'));
      return section;
    }
    // Until it is built, the matrix is a placeholder about its size (a matrix scrolls
    // within at most a screen's height).
    doc.holder = el('div', 'matrix-holder');
    doc.holder.doc = doc;
    doc.holder.style.minHeight = 'min(' + (doc.ops.length + doc.groups.length + 1) * ROW_HEIGHT + 'px, calc(100vh - 120px))';
    add(section, doc.holder);
    return section;
  }

  // Draw a document's matrix (once); its rows take the filters in force.
  function buildMatrix(doc) {
    if (doc.built || !doc.holder) { return; }
    doc.built = true;
    var columns = doc.columns;
    // The matrix is a header table and, per group, tables of at most CHUNK rows that all
    // share one set of column widths; the browser lays out and paints only the chunks in
    // view (content-visibility), which keeps a thousand operations quick to draw.
    var wrap = el('div', 'matrix-wrap');
    var inner = el('div', 'matrix-inner');
    add(wrap, inner);
    var colgroup = el('colgroup');
    add(colgroup, el('col', 'op'));
    columns.forEach(function (column) { add(colgroup, el('col', columnRank(column)[0] >= 2 ? 'code wide' : 'code')); });
    // A last column takes the room left, so that a small matrix spans the page.
    add(colgroup, el('col', 'fill'));
    var longest = doc.ops.reduce(function (max, op) { return Math.max(max, op.p.length); }, 0);
    // Room for the longest path (up to a point), the method, the count and the line.
    var opWidth = Math.min(Math.max(longest, 16), 50) + 16 + 'ch';
    function table(className) {
      var node = el('table', 'matrix' + (className ? ' ' + className : ''));
      var cols = colgroup.cloneNode(true);
      cols.firstChild.style.width = opWidth;
      add(node, cols);
      return node;
    }
    var head = table('head');
    var thead = el('thead');
    var headRow = el('tr');
    add(headRow, el('th', 'corner', 'Operation'));
    var classStart = [];
    var previous = null;
    columns.forEach(function (column, i) {
      var rank = columnRank(column);
      var cls = rank[0] <= 1 ? column[0] : column;
      var th = el('th', 'code', column);
      th.scope = 'col';
      th.title = codeLabel(doc, column);
      classStart[i] = previous !== null && cls !== previous;
      if (classStart[i]) { th.classList.add('cls-start'); }
      previous = cls;
      add(headRow, th);
    });
    add(headRow, el('th', 'fill'));
    add(thead, headRow);
    add(head, thead);
    add(inner, head);

    // A row has a cell of its own only for the codes it declares or a finding names;
    // the codes between are one spanning cell per class of codes.
    function buildCells(tr, op, row) {
      var own = {};
      op.r.forEach(function (response) { own[response.c] = true; });
      Object.keys(op.byCell).forEach(function (column) { own[column] = true; });
      var gap = null;
      columns.forEach(function (column, i) {
        if (own[column]) {
          gap = null;
          var td = el('td', 'c' + (classStart[i] ? ' cls-start' : ''));
          td.column = column;
          td.classStart = classStart[i];
          td.state = '';
          row.cellsByColumn[column] = td;
          add(tr, td);
        } else if (gap && !classStart[i]) {
          gap.colSpan += 1;
        } else {
          gap = el('td', 'gap' + (classStart[i] ? ' cls-start' : ''));
          add(tr, gap);
        }
      });
      add(tr, el('td', 'fill'));
    }

    function buildRow(op, group) {
      var tr = el('tr', 'op');
      var th = el('th');
      th.scope = 'row';
      add(tr, th);
      if (op.d) { tr.classList.add('deprecated'); }
      var button = el('button', 'op-button');
      button.type = 'button';
      button.title = opTitle(op);
      add(button, el('span', 'method m-' + op.m.toLowerCase(), op.m), el('span', 'path mono', op.p));
      var badge = el('span', 'count');
      badge.hidden = true;
      add(button, badge);
      var source = link(doc.hrefs[op.f], (op.f !== 0 ? doc.files[op.f] : '') + ':' + op.l,
        'Open ' + doc.files[op.f] + ' (line ' + op.l + ')');
      source.className = 'src';
      add(th, add(el('div', 'op-cell'), button, source));
      var row = { op: op, tr: tr, badge: badge, cellsByColumn: {}, group: group };
      buildCells(tr, op, row);
      tr.row = row;
      paintRow(row);
      doc.rows.push(row);
      group.rows.push(row);
      return tr;
    }

    doc.groups.forEach(function (group) {
      var box = el('div', 'group');
      var band = table('band');
      var bandRow = el('tr', 'group');
      var bandHead = el('th');
      bandHead.colSpan = columns.length + 2;
      var toggle = el('button', null, '\u25BE ' + group.name);
      toggle.type = 'button';
      toggle.setAttribute('aria-expanded', 'true');
      var groupCount = el('span', 'n');
      add(toggle, groupCount);
      toggle.addEventListener('click', function () {
        var collapsed = box.classList.toggle('collapsed');
        toggle.setAttribute('aria-expanded', String(!collapsed));
        toggle.firstChild.textContent = (collapsed ? '\u25B8 ' : '\u25BE ') + group.name;
      });
      add(band, add(el('tbody'), add(bandRow, add(bandHead, toggle))));
      add(box, band);
      group.box = box;
      group.count = groupCount;
      group.rows = [];
      group.chunks = [];
      for (var at = 0; at < group.ops.length; at += CHUNK) {
        var chunk = el('div', 'chunk');
        var body = el('tbody');
        var rows = group.ops.slice(at, at + CHUNK).map(function (op) { return buildRow(op, group); });
        rows.forEach(function (tr) { add(body, tr); });
        add(chunk, add(table(''), body));
        group.chunks.push({ node: chunk, rows: rows });
        add(box, chunk);
      }
      add(inner, box);
    });

    wrap.addEventListener('click', function (event) {
      var target = event.target;
      if (!target.closest || target.closest('a')) { return; }
      var td = target.closest('td.c');
      var tr = target.closest('tr.op');
      if (!tr || !tr.row) { return; }
      if (td && (td.state === 'none')) { return; }
      toggleDetail(tr.row, td ? td.column : null);
    });
    wrap.addEventListener('keydown', function (event) {
      if (event.key !== 'Enter' && event.key !== ' ') { return; }
      var td = event.target.closest ? event.target.closest('td.c') : null;
      if (!td || td.state === 'none') { return; }
      event.preventDefault();
      toggleDetail(td.parentNode.row, td.column);
    });
    wrap.addEventListener('mouseover', function (event) {
      var td = event.target.closest ? event.target.closest('td.c') : null;
      if (td && td.parentNode.row && td.state !== 'none') { td.title = cellTitle(td.parentNode.row.op, td.column); }
    });
    doc.holder.style.minHeight = '';
    add(doc.holder, wrap);
    applyFilters(doc);
  }

  function toggleDetail(row, column) {
    var same = open && open.row === row && open.column === column;
    closeDetail();
    if (same) { return; }
    var op = row.op;
    var doc = op.doc;
    var tr = el('tr', 'detail');
    var td = el('td');
    td.colSpan = doc.columns.length + 2;
    var panel = el('div', 'panel');
    var h3 = el('h3');
    add(h3, el('span', 'method m-' + op.m.toLowerCase(), op.m), el('span', 'mono', op.p));
    if (column !== null) { add(h3, el('span', null, '· ' + codeLabel(doc, column))); }
    var close = el('button', 'close', '\u00D7');
    close.type = 'button';
    close.title = 'Close';
    close.setAttribute('aria-label', 'Close');
    close.addEventListener('click', closeDetail);
    add(h3, close);
    add(panel, h3);
    var meta = el('p', 'op-meta');
    if (op.id) { add(meta, add(el('span'), 'operationId ', el('code', null, op.id))); }
    if (op.t && op.t.length) { add(meta, el('span', null, 'tags: ' + op.t.join(', '))); }
    if (op.s) { add(meta, el('span', 'summary', op.s)); }
    if (op.d) { add(meta, el('span', null, 'deprecated')); }
    add(meta, add(el('span'), 'written at ', where(doc, op.f, op.l)));
    add(panel, meta);
    var findings;
    if (column !== null) {
      var state = cellState(op, column);
      var response = op.declared[column];
      var line = add(el('p', 'state'), el('b', null, SYMBOL[state] + ' ' + STATE_TEXT[state]));
      if (response) {
        add(line, ': ', el('code', null, response.k || response.c), ' at ', where(doc, response.f, response.l));
        if (response.d) { add(line, ' — ', el('span', 'description', response.d)); }
      }
      add(panel, line);
      findings = op.byCell[column] || [];
    } else {
      var responses = el('table', 'responses');
      doc.columns.forEach(function (code) {
        var state = cellState(op, code);
        if (state === 'none') { return; }
        var response = op.declared[code];
        var tr2 = el('tr');
        add(tr2, el('td', 'sym', SYMBOL[state]), add(el('td'), el('code', null, response ? response.k || response.c : code)));
        add(tr2, el('td', null, (doc.reasons[code] || '')), el('td', null, STATE_TEXT[state]));
        add(tr2, add(el('td'), response ? where(doc, response.f, response.l) : '', response && response.d ? ' — ' : '',
          response && response.d ? el('span', 'description', response.d) : ''));
        add(responses, tr2);
      });
      add(panel, responses);
      findings = op.findings;
    }
    add(panel, findingList(findings, column === null));
    add(td, panel);
    add(tr, td);
    row.tr.parentNode.insertBefore(tr, row.tr.nextSibling);
    row.tr.classList.add('open');
    var picked = column !== null ? row.cellsByColumn[column] : null;
    if (picked) { picked.classList.add('picked'); }
    open = { row: row, column: column, node: tr, picked: picked };
  }

  function closeDetail() {
    if (!open) { return; }
    open.node.parentNode.removeChild(open.node);
    open.row.tr.classList.remove('open');
    if (open.picked) { open.picked.classList.remove('picked'); }
    open = null;
  }

  function renderDocFindings(doc) {
    var list = doc.docList;
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var findings = doc.docFindings;
    if (!findings.length) { return; }
    var heading = doc.other ? 'Findings in files no document reaches, or in several' : 'About the document as a whole';
    add(list, el('h3', null, heading + ' (' + findings.filter(visible).length + ')'));
    add(list, findingList(findings, false, true));
  }

  // ---- Filters --------------------------------------------------------------------------
  // Whether the filters show an operation's row.
  function shows(op) {
    var query = filter.query;
    if (filter.tag && (op.t && op.t.length ? op.t.indexOf(filter.tag) < 0 : op.group !== filter.tag)) { return false; }
    if (query && op.p.toLowerCase().indexOf(query) < 0 && !(op.id && op.id.toLowerCase().indexOf(query) >= 0)) { return false; }
    return !filter.only || op.findings.some(counts);
  }

  // The filters on a drawn document's rows, cells, groups and chunks.
  function applyFilters(doc) {
    doc.groups.forEach(function (group) {
      var groupShown = 0, withFindings = 0;
      group.rows.forEach(function (row) {
        var op = row.op;
        if (op.findings.length) { paintRow(row); }
        row.tr.hidden = !op.shown;
        if (op.shown) {
          groupShown += 1;
          if (op.findings.some(counts)) { withFindings += 1; }
        }
      });
      group.box.hidden = groupShown === 0;
      group.chunks.forEach(function (chunk) {
        var visibleRows = chunk.rows.filter(function (tr) { return !tr.hidden; }).length;
        chunk.node.hidden = visibleRows === 0;
        chunk.node.style.containIntrinsicSize = 'auto ' + visibleRows * ROW_HEIGHT + 'px';
      });
      group.count.textContent = plural(groupShown, 'operation', 'operations') + (withFindings ? ', ' + withFindings + ' with findings' : '');
    });
  }

  function refresh() {
    var shown = 0, total = 0;
    var reopen = open ? { row: open.row, column: open.column } : null;
    closeDetail();
    docs.forEach(function (doc) {
      renderDocFindings(doc);
      var docShown = 0;
      doc.ops.forEach(function (op) {
        op.shown = shows(op);
        if (op.shown) { docShown += 1; }
      });
      shown += docShown;
      total += doc.ops.length;
      if (doc.holder) {
        doc.holder.parentNode.hidden = docShown === 0 && !doc.docFindings.some(visible) && (filter.only || filter.query !== '' || filter.tag !== '');
      }
      if (doc.built) { applyFilters(doc); }
    });
    shownNode.textContent = plural(shown, 'operation', 'operations') + ' shown of ' + total.toLocaleString('en');
    if (reopen && !reopen.row.tr.hidden) { toggleDetail(reopen.row, reopen.column); }
  }

  // ---- Draw -----------------------------------------------------------------------------
  var fragment = document.createDocumentFragment();
  add(fragment, header(), toolbar(), legend());
  var main = el('main');
  docs.forEach(function (doc) { add(main, renderDoc(doc)); });
  if (!docs.length) { add(main, el('p', 'empty', 'No OpenAPI document was checked.')); }
  add(fragment, main);
  app.appendChild(fragment);
  refresh();
  // The first documents are drawn now; the others as they come near the screen (a
  // directory of hundreds of specs opens as fast as one).
  var drawn = 0;
  docs.forEach(function (doc) {
    if (doc.holder && (drawn === 0 || drawn + doc.ops.length <= EAGER_OPERATIONS)) {
      drawn += doc.ops.length;
      buildMatrix(doc);
    }
  });
  if (docs.some(function (doc) { return doc.holder && !doc.built; })) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          buildMatrix(entry.target.doc);
        }
      });
    }, { rootMargin: '1000px 0px' });
    docs.forEach(function (doc) { if (doc.holder && !doc.built) { observer.observe(doc.holder); } });
  }
  var names = docs.filter(function (doc) { return !doc.other; }).map(function (doc) { return doc.file; });
  document.title = 'oaslint: ' + (names.length === 1 ? names[0] : plural(names.length, 'document', 'documents'));
  document.documentElement.setAttribute('data-render-ms', String(Math.round(performance.now())));
  requestAnimationFrame(function () {
    setTimeout(function () { document.documentElement.setAttribute('data-paint-ms', String(Math.round(performance.now()))); }, 0);
  });
})();
