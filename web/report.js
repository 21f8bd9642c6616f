/*
 * report.js - one report: its metadata, the findings of the checks with
 * their review (确认 / 忽略 with a reason), the three tables with the
 * flagged cells marked and editable, and the source text with line
 * numbers; choosing a finding shows its line and its cells.
 */
'use strict';

const PARTS = {
  2: '第二部分 主动公开政府信息情况',
  3: '第三部分 收到和处理政府信息公开申请情况',
  4: '第四部分 政府信息公开行政复议、行政诉讼情况',
};
const STATUS = {open: '待审核', confirmed: '已确认', dismissed: '已忽略'};
const FORMAT = {text: '文本', pdf: 'PDF', html: '网页', docx: 'Word', markdown: 'Markdown', model: '模型 JSON'};

const reportId = new URLSearchParams(location.search).get('id');
let report = null;
let cells = [];
let selected = null;

function cellValue(model, path) {
  let v = model;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object' || !(k in v)) return undefined;
    v = v[k];
  }
  return v;
}

function fmt(v) { return v === null || v === undefined ? '' : String(v); }

function findingsFor(path) {
  return report.findings.filter(f => f.path && (f.path === path || path.startsWith(f.path + '.')));
}

/* ----------------------------------------------------------- metadata */

function showMeta() {
  document.title = (report.agency || report.name) + ' · 报告审核';
  document.getElementById('title').textContent = report.title || report.name;
  const dl = clear(document.getElementById('meta'));
  const rows = [
    ['发布机关', report.agency || '（未读到）'],
    ['机关类型', report.body_kind || ''],
    ['对应名单', report.region ? report.region + '（' + (MATCH[report.match] || '') + '）' : '未对应'],
    ['年度', fmt(report.year)],
    ['落款日期', report.published || '（未读到）'],
    ['文件', report.name + '（' + (FORMAT[report.source_format] || report.source_format || '') + '，' +
             Math.max(1, Math.round(report.size / 1024)) + ' KB）'],
    ['审核状态', report.review],
  ];
  for (const [k, v] of rows) dl.append(el('dt', null, k), el('dd', null, v));
  const confirmed = report.findings.filter(f => f.status === 'confirmed').length;
  dl.append(el('dt', null, '下载'), el('dd', null,
    el('a', {href: '/api/v1/reports/' + report.id + '/file', download: report.name}, '原始文件'),
    confirmed ? '　' : null,
    confirmed ? el('a', {id: 'notice', href: '/api/v1/reports/' + report.id + '/notice.docx?reviewer=' +
                         encodeURIComponent(reviewer() || '')}, '整改通知（DOCX，' + confirmed + ' 个已确认问题）') : null));
  if (report.previous)
    dl.append(el('dt', null, '上年'), el('dd', null, el('a', {href: '/report?id=' + report.previous}, '上一年度的报告'), '　',
      el('a', {href: '/compare?id=' + report.id + '&with=' + report.previous}, '两年对照')));
  const s = document.getElementById('summary');
  if (report.state === 'failed') {
    s.textContent = '无法读取：' + report.error;
    s.className = 'summary bad';
  } else {
    s.textContent = `${report.errors} 个错误，${report.warnings} 个警告，${report.notes} 个提示`;
    s.className = 'summary' + (report.errors ? ' bad' : ' good');
  }
}

/* ----------------------------------------------------------- findings */

function showFindings() {
  const ol = clear(document.getElementById('findings'));
  if (!report.findings.length) ol.append(el('li', {class: 'none'}, '没有发现问题。'));
  for (const f of report.findings) {
    const reasonBox = el('input', {class: 'reason', placeholder: '忽略的理由（必填）', maxlength: 500, hidden: true});
    const actions = el('div', {class: 'actions'});
    const li = el('li', {class: 'finding sev-' + f.severity + ' st-' + f.status, dataset: {id: f.id, rule: f.rule}},
      el('div', {class: 'head'},
        el('span', {class: 'badge ' + f.severity}, SEVERITY[f.severity] || f.severity),
        el('span', {class: 'where'}, f.line ? '第 ' + f.line + ' 行' : (f.page ? '第 ' + f.page + ' 页' : '')),
        el('span', {class: 'rule'}, f.rule),
        el('span', {class: 'status', title: localTime(f.reviewed)}, STATUS[f.status] + (f.reviewer ? ' · ' + f.reviewer : ''))),
      el('p', {class: 'message'}, f.message),
      f.reason ? el('p', {class: 'why'}, '理由：' + f.reason) : null,
      actions, reasonBox);
    if (f.status === 'open') {
      actions.append(
        el('button', {class: 'small confirm', onclick: e => { e.stopPropagation(); review(f, 'confirmed'); }}, '确认'),
        el('button', {class: 'small dismiss', onclick: e => {
          e.stopPropagation();
          if (reasonBox.hidden) { reasonBox.hidden = false; reasonBox.focus(); return; }
          review(f, 'dismissed', reasonBox.value.trim());
        }}, '忽略'));
      reasonBox.addEventListener('click', e => e.stopPropagation());
      reasonBox.addEventListener('keydown', e => {
        if (e.key === 'Enter') review(f, 'dismissed', reasonBox.value.trim());
      });
    } else {
      actions.append(el('button', {class: 'small', onclick: e => { e.stopPropagation(); review(f, 'open'); }}, '撤销'));
    }
    li.addEventListener('click', () => select(f));
    ol.append(li);
  }
}

async function review(f, status, reason) {
  const who = needReviewer(); if (!who) return;
  if (status === 'dismissed' && !reason) { toast('忽略一条问题时须说明理由', true); return; }
  try {
    await api('POST', 'findings/' + f.id + '/review', {status, reason: reason || null, reviewer: who});
    toast(status === 'confirmed' ? '已确认' : status === 'dismissed' ? '已忽略' : '已撤销');
    await load(f.id);
  } catch (e) { toast(e.message, true); }
}

/* ----------------------------------------------------------- PDF page */

/* Pixels per point of the page images asked for (the API's default). */
const PAGE_SCALE = 1.5;

/* The cells of a finding's path with a box in the model's provenance:
 * [{page, box}], for a cell, a row, or a whole table. */
function boxesFor(path) {
  const prov = report.model && report.model.provenance;
  if (!prov || !prov.tables || !path) return [];
  const [table, ...rest] = path.split('.');
  const t = prov.tables[table];
  if (!t || !t.cells) return [];
  const sub = rest.join('.');
  return Object.entries(t.cells)
    .filter(([k, c]) => c.box && (!sub || k === sub || k.startsWith(sub + '.')))
    .map(([, c]) => ({page: c.page, box: c.box}));
}

/* Shows the finding's page (its own, else its first boxed cell's) with
 * its cells boxed, scrolled to the first box. */
function showPage(f) {
  const card = document.getElementById('page-card');
  if (report.source_format !== 'pdf') { card.hidden = true; return; }
  const boxes = boxesFor(f.path);
  const page = f.page || (boxes.length ? boxes[0].page : 0);
  if (!page) return;
  card.hidden = false;
  const view = document.getElementById('page-view');
  for (const b of view.querySelectorAll('.cell-box')) b.remove();
  const img = document.getElementById('page-image');
  const src = '/api/v1/reports/' + encodeURIComponent(reportId) + '/pages/' + page + '?scale=' + PAGE_SCALE;
  document.getElementById('page-hint').textContent = '（第 ' + page + ' 页；框出的是问题所在的单元格）';
  const draw = () => {
    let first = null;
    for (const b of boxes.filter(x => x.page === page)) {
      const [x0, y0, x1, y1] = b.box;
      const div = el('div', {class: 'cell-box'});
      div.style.left = (x0 * PAGE_SCALE) + 'px';
      div.style.top = (y0 * PAGE_SCALE) + 'px';
      div.style.width = ((x1 - x0) * PAGE_SCALE) + 'px';
      div.style.height = ((y1 - y0) * PAGE_SCALE) + 'px';
      view.append(div);
      if (!first) first = div;
    }
    if (first) {
      view.scrollTop = Math.max(0, first.offsetTop - view.clientHeight / 3);
      view.scrollLeft = Math.max(0, first.offsetLeft - view.clientWidth / 3);
    }
    view.dataset.page = String(page);
    view.dataset.boxes = String(view.querySelectorAll('.cell-box').length);
  };
  view.dataset.boxes = '';
  if (img.getAttribute('src') === src && img.complete) draw();
  else {
    img.onload = draw;
    img.setAttribute('src', src);
  }
}

function select(f) {
  selected = f.id;
  showPage(f);
  for (const li of document.querySelectorAll('.finding'))
    li.classList.toggle('selected', li.dataset.id === String(f.id));
  for (const n of document.querySelectorAll('.line.hit')) n.classList.remove('hit');
  for (const n of document.querySelectorAll('td.focus')) n.classList.remove('focus');
  if (f.line) {
    const line = document.getElementById('L' + f.line);
    if (line) {
      line.classList.add('hit');
      line.scrollIntoView({block: 'center'});
    }
  }
  if (f.path) {
    for (const td of document.querySelectorAll('td.cell'))
      if (td.dataset.path === f.path || td.dataset.path.startsWith(f.path + '.')) td.classList.add('focus');
  }
}

/* ------------------------------------------------------------- tables */

/* The rows of a part, split into blocks that share their columns: table
 * 2 of the national format is four small tables (规章 and 规范性文件 by
 * 制发/废止/现行有效; 许可, 处罚, 强制 by 处理决定数量; 收费 by 金额),
 * each with its own header; table 3 is one block (table 4 has a layout
 * of its own, appealsTable()). */
function blocks(mine) {
  const rows = new Map();
  for (const c of mine) {
    if (!rows.has(c.row_index)) rows.set(c.row_index, []);
    rows.get(c.row_index).push(c);
  }
  const out = [];
  for (const ri of [...rows.keys()].sort((a, b) => a - b)) {
    const rc = rows.get(ri).sort((a, b) => a.column_index - b.column_index);
    const sig = rc.map(c => c.column_index + '=' + c.column_label).join('|');
    const last = out[out.length - 1];
    if (last && last.sig === sig) last.rows.push(rc);
    else out.push({sig, rows: [rc], cols: rc.map(c => [c.column_index, c.column_label])});
  }
  /* table 3's rows have all columns; a row missing some (none in the
   * standard) still lines up under the block's header */
  return out;
}

/* One cell of a table: its value, highlighted when a finding names it,
 * framed when a reviewer corrected it; a click opens the editor. */
function cellTd(model, c) {
  const v = cellValue(model, c.path);
  const flagged = findingsFor(c.path);
  const corrected = report.corrections.some(k => k.path === c.path);
  const td = el('td', {
    class: 'cell' + (v === null ? ' null' : '') +
           (flagged.some(f => f.severity === 'error') ? ' flag-error' : flagged.length ? ' flag-warning' : '') +
           (corrected ? ' corrected' : ''),
    title: c.label + (flagged.length ? '\n' + flagged.map(f => f.message).join('\n') : ''),
    dataset: {path: c.path}, tabindex: 0}, fmt(v));
  td.addEventListener('click', () => edit(c, td, v));
  return td;
}

/* Table 4 in the national layout (format.md 1.6, as the HTML and DOCX
 * writers print it): one data row of the three blocks side by side under
 * three header rows — 行政复议 over its five results (each spanning two
 * rows), and 行政诉讼 over 未经复议直接起诉 and 复议后起诉, each over its
 * five results.  The model's rows are the blocks; a block with a group
 * (行政诉讼) shares the group's top header. */
function appealsTable(model, mine) {
  const rows = new Map();
  for (const c of mine) {
    if (!rows.has(c.row_index)) rows.set(c.row_index, []);
    rows.get(c.row_index).push(c);
  }
  const blocksOf = [...rows.keys()].sort((a, b) => a - b)
    .map(ri => rows.get(ri).sort((a, b) => a.column_index - b.column_index));
  const top = el('tr'), mid = el('tr'), low = el('tr'), data = el('tr');
  for (let i = 0; i < blocksOf.length; i++) {
    const rc = blocksOf[i], first = rc[0];
    if (!first.group_label) {
      top.append(el('th', {colspan: rc.length}, first.row_label));
      for (const c of rc) mid.append(el('th', {rowspan: 2}, c.column_label));
    } else {
      if (i === 0 || blocksOf[i - 1][0].group_label !== first.group_label) {
        let span = 0;
        for (let k = i; k < blocksOf.length && blocksOf[k][0].group_label === first.group_label; k++)
          span += blocksOf[k].length;
        top.append(el('th', {colspan: span}, first.group_label));
      }
      mid.append(el('th', {colspan: rc.length}, first.row_label));
      for (const c of rc) low.append(el('th', null, c.column_label));
    }
    for (const c of rc) data.append(cellTd(model, c));
  }
  return el('table', {class: 'grid appeals'},
    el('thead', null, top, mid, low.children.length ? low : null),
    el('tbody', null, data));
}

function showTables() {
  const box = clear(document.getElementById('tables'));
  const model = report.model;
  if (!model) { box.append(el('p', {class: 'hint'}, '没有读到表格。')); return; }
  for (const part of [2, 3, 4]) {
    const mine = cells.filter(c => c.part === part);
    if (!mine.length) continue;
    box.append(el('h3', null, PARTS[part]));
    if (part === 4) {
      box.append(el('div', {class: 'scroll'}, appealsTable(model, mine)));
      continue;
    }
    for (const b of blocks(mine)) {
      const table = el('table', {class: 'grid'},
        el('thead', null, el('tr', null, el('th', {class: 'rowhead'}, ''), b.cols.map(([, l]) => el('th', null, l)))));
      const tbody = el('tbody');
      let lastGroup = null;
      for (const rc of b.rows) {
        const first = rc[0];
        if (first.group_label && first.group_label !== lastGroup)
          tbody.append(el('tr', {class: 'group'}, el('th', {colspan: b.cols.length + 1}, first.group_label)));
        lastGroup = first.group_label || null;
        const tr = el('tr', null, el('th', {class: 'rowhead' + (first.group_label ? ' indent' : '')}, first.row_label));
        for (const [ci] of b.cols) {
          const c = rc.find(x => x.column_index === ci);
          if (!c) { tr.append(el('td', {class: 'na'}, '')); continue; }
          tr.append(cellTd(model, c));
        }
        tbody.append(tr);
      }
      table.append(tbody);
      box.append(el('div', {class: 'scroll'}, table));
    }
  }
}

function edit(c, td, v) {
  for (const n of document.querySelectorAll('.editor')) n.remove();
  const input = el('input', {class: 'value', value: fmt(v), inputmode: c.decimal ? 'decimal' : 'numeric', size: 8});
  const save = async () => {
    const who = needReviewer(); if (!who) return;
    try {
      report = await api('POST', 'reports/' + report.id + '/corrections', {path: c.path, value: input.value.trim(), reviewer: who});
      toast('已改正并重新检查');
      render();
    } catch (e) { toast(e.message, true); }
  };
  input.addEventListener('keydown', e => { if (e.key === 'Enter') save(); if (e.key === 'Escape') box.remove(); });
  const box = el('div', {class: 'editor'},
    el('div', {class: 'label'}, c.label),
    el('div', null, '读到：', v === null || v === undefined ? '空白' : String(v), '　改为：', input, ' ',
      el('button', {class: 'small confirm', onclick: save}, '保存'), ' ',
      el('button', {class: 'small', onclick: () => box.remove()}, '取消')),
    el('div', {class: 'hint'}, '留空表示空白单元格；保存后报告按改正后的数字重新检查。'));
  td.closest('.scroll').after(box);
  input.focus();
  input.select();
}

function showCorrections() {
  const card = document.getElementById('corrections-card');
  card.hidden = !report.corrections.length;
  const tbody = clear(document.querySelector('#corrections tbody'));
  const label = p => (cells.find(c => c.path === p) || {label: p}).label;
  for (const k of report.corrections)
    tbody.append(el('tr', null, el('td', null, label(k.path)), el('td', null, k.value_read === null ? '空白' : k.value_read),
      el('td', null, k.value === null ? '空白' : k.value), el('td', null, k.actor), el('td', null, localTime(k.at))));
}

/* ------------------------------------------------------------- source */

function showSource() {
  const box = clear(document.getElementById('source'));
  const text = report.source_text || '';
  document.getElementById('source-hint').textContent =
    report.source_format === 'pdf' ? '（PDF 的文字层，按读出的行编号）' : '（行号与问题中的行号一致）';
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const flagged = new Set(report.findings.filter(f => f.line).map(f => f.line));
  const frag = document.createDocumentFragment();
  lines.forEach((t, i) => {
    const n = i + 1;
    frag.append(el('div', {class: 'line' + (flagged.has(n) ? ' flagged' : ''), id: 'L' + n},
      el('span', {class: 'no'}, n), el('span', {class: 'text'}, t)));
  });
  box.append(frag);
}

function render() {
  showMeta();
  showFindings();
  showTables();
  showCorrections();
  showSource();
  if (selected) {
    const f = report.findings.find(x => x.id === selected);
    if (f) select(f);
  }
}

async function load(keep) {
  try {
    report = await api('GET', 'reports/' + encodeURIComponent(reportId));
    const ed = report.model && report.model.edition ? report.model.edition : '2021';
    if (!cells.length || cells.edition !== ed) {
      cells = await api('GET', 'cells?edition=' + encodeURIComponent(ed));
      cells.edition = ed;
    }
    if (keep) selected = keep;
    render();
    document.body.dataset.loaded = '1';
  } catch (e) {
    document.getElementById('title').textContent = e.message;
  }
}

document.addEventListener('DOMContentLoaded', () => { setupReviewer(); load(); });
