/*
 * compare.js - one body's two years side by side: the history findings,
 * the changed cells with their change, and each part's prose as a
 * redline (characters removed and added, Myers' diff) with its
 * similarity, so that copied text is seen at a glance.
 */
'use strict';

const PART_NAMES = ['', '一、总体情况', '二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况',
  '四、政府信息公开行政复议、行政诉讼情况', '五、存在的主要问题及改进情况', '六、其他需要报告的事项'];

/* The longest texts diffed character by character: Myers' diff costs
 * (N+M)·D, and two unrelated long texts would make D large. */
const MAX_DIFF = 20000;

/* Edits beyond which two texts are not diffed (they share little): the
 * trace kept for the backtrack grows as D². */
const MAX_EDITS = 2500;

/* Myers' O((N+M)D) diff of two arrays; returns [op, item] with op
 * '=', '-' or '+', or null when they differ by more than MAX_EDITS. */
function diff(a, b) {
  const n = a.length, m = b.length, max = n + m;
  const v = new Int32Array(2 * max + 3), trace = [];
  for (let d = 0; d <= Math.min(max, MAX_EDITS); d++) {
    /* v on diagonals -d-1 .. d+1, before this round */
    trace.push(v.slice(max - d - 1 + 1, max + d + 1 + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = (k === -d || (k !== d && v[max + 1 + k - 1] < v[max + 1 + k + 1])) ? v[max + 1 + k + 1] : v[max + 1 + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      v[max + 1 + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, d);
    }
  }
  return null;
}

function backtrack(trace, a, b, dEnd) {
  const out = [];
  let x = a.length, y = b.length;
  for (let d = dEnd; d > 0; d--) {
    const t = trace[d], at = k => t[k + d + 1], k = x - y;
    const prevK = (k === -d || (k !== d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
    const px = at(prevK), py = px - prevK;
    while (x > px && y > py) { out.push(['=', a[--x]]); y--; }
    if (x === px) out.push(['+', b[--y]]);
    else out.push(['-', a[--x]]);
  }
  while (x > 0) { out.push(['=', a[--x]]); y--; }
  return out.reverse();
}

/* Runs of one op joined into text nodes. */
function redline(oldText, newText) {
  const a = Array.from(oldText || ''), b = Array.from(newText || '');
  const box = el('div', {class: 'redline'});
  if (a.length + b.length > MAX_DIFF) {
    box.append(el('p', {class: 'hint'}, '文字过长，不逐字对照。'), newText || '');
    return box;
  }
  const ops = diff(a, b);
  if (!ops) {
    box.append(el('p', {class: 'hint'}, '两年文字差别很大，不逐字对照；以下为本年文字。'), newText || '');
    return box;
  }
  let op = null, buf = '';
  const flush = () => {
    if (!buf) return;
    box.append(op === '=' ? document.createTextNode(buf) : el(op === '-' ? 'del' : 'ins', null, buf));
    buf = '';
  };
  for (const [o, ch] of ops) {
    if (o !== op) { flush(); op = o; }
    buf += ch;
  }
  flush();
  return box;
}

function delta(o, n) {
  if (o === null || n === null) return '';
  const d = Number(n) - Number(o);
  const s = Number.isInteger(d) ? String(d) : d.toFixed(2);
  return d > 0 ? '+' + s : s;
}

async function load() {
  const q = new URLSearchParams(location.search);
  let c;
  try {
    c = await api('GET', 'reports/' + encodeURIComponent(q.get('id')) + '/compare' +
                  (q.get('with') ? '?with=' + encodeURIComponent(q.get('with')) : ''));
  } catch (e) { document.getElementById('title').textContent = e.message; return; }
  document.getElementById('title').textContent = (c.new.agency || c.new.name) + ' · ' + c.old.year + ' 年与 ' + c.new.year + ' 年对照';
  document.title = document.getElementById('title').textContent;
  const yb = clear(document.querySelector('#years tbody'));
  for (const [label, r] of [['上年', c.old], ['本年', c.new]])
    yb.append(el('tr', null, el('th', null, label + '（' + r.year + '）'),
      el('td', null, el('a', {href: '/report?id=' + r.id}, r.name)), el('td', null, r.agency || ''), el('td', null, r.published || '')));

  const h = clear(document.getElementById('history'));
  if (!c.history.length) h.append(el('li', {class: 'finding none'}, '没有发现问题。'));
  for (const f of c.history)
    h.append(el('li', {class: 'finding sev-' + f.severity},
      el('div', {class: 'head'}, el('span', {class: 'badge ' + f.severity}, SEVERITY[f.severity]), el('span', {class: 'rule'}, f.rule)),
      el('p', {class: 'message'}, f.message)));

  const cb = clear(document.querySelector('#cells tbody'));
  if (!c.cells.length) cb.append(el('tr', null, el('td', {colspan: 4}, '两年的数字完全相同。')));
  for (const x of c.cells)
    cb.append(el('tr', null, el('td', null, x.label), el('td', {class: 'n'}, x.old === null ? '空白' : x.old),
      el('td', {class: 'n'}, x.new === null ? '空白' : x.new), el('td', {class: 'n'}, delta(x.old, x.new))));

  const parts = clear(document.getElementById('parts'));
  for (const p of c.parts) {
    if (p.old === null && p.new === null) continue;
    const sim = p.similarity;
    const empty = !(p.old || '').trim() && !(p.new || '').trim();
    const badge = empty ? null : sim === null ? el('span', {class: 'badge'}, '文字过短，不计算相似度')
      : el('span', {class: 'badge ' + (sim >= 0.8 ? 'error' : sim >= 0.5 ? 'warning' : 'ok')},
           '相似度 ' + sim.toFixed(2) + (sim >= 0.8 ? '（疑似照抄上年）' : ''));
    const body = p.old === null ? el('p', {class: 'hint'}, '上年没有这一部分。')
      : p.new === null ? el('p', {class: 'hint'}, '本年没有这一部分。')
      : !p.old.trim() && !p.new.trim() ? el('p', {class: 'hint'}, '本部分只有表格，见上方的单元格对照。')
      : redline(p.old, p.new);
    parts.append(el('h3', null, PART_NAMES[p.part] + '　', badge), body);
  }
  document.body.dataset.loaded = '1';
}

document.addEventListener('DOMContentLoaded', () => { setupReviewer(); load(); });
