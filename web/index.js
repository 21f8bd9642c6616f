/*
 * index.js - the workspace's first page: upload a batch and watch it
 * being read and checked, the roster of the year with each body's
 * publication and review, reports not yet matched to a body, the export.
 */
'use strict';

/* Uploads in flight at once: enough to keep the workers busy without
 * queueing hundreds of requests in the browser. */
const PARALLEL_UPLOADS = 4;
let currentBatch = null;
let pollTimer = null;
let uploading = 0;     /* uploads still being sent */
let polling = false;   /* one poll at a time: answers must not cross */
let pollAgain = false;
let regions = [];

function reportLink(id, text) {
  return el('a', {href: '/report?id=' + encodeURIComponent(id)}, text);
}

function num(v) { return v === null || v === undefined ? '' : v; }

/* ------------------------------------------------------------ upload */

async function uploadFiles(files) {
  files = Array.from(files).filter(f => !f.name.startsWith('.'));
  if (!files.length) return;
  const who = reviewer() || '匿名';
  let batch;
  try {
    batch = await api('POST', 'batches', {reviewer: who, note: files.length + ' 个文件'});
  } catch (e) { toast(e.message, true); return; }
  currentBatch = batch.id;
  uploading++;
  const progress = document.getElementById('progress');
  progress.hidden = false;
  delete progress.dataset.finished;
  let next = 0, refused = [];
  async function one() {
    while (next < files.length) {
      const f = files[next++];
      const name = f.webkitRelativePath || f.name;
      try {
        if (/\.zip$/i.test(f.name)) {
          /* a ZIP of reports is unpacked by the server */
          const r = await api('POST', 'batches/' + batch.id + '/zip', undefined, f);
          for (const x of r.files) if (x.error) refused.push(f.name + '/' + x.name + '：' + x.error);
        } else {
          await api('POST', 'batches/' + batch.id + '/files?name=' + encodeURIComponent(name), undefined, f);
        }
      } catch (e) { refused.push(f.name + '：' + e.message); }
      poll();
    }
  }
  await Promise.all(Array.from({length: PARALLEL_UPLOADS}, one));
  uploading--;
  if (refused.length) toast('未能上传：' + refused.join('；'), true);
  poll();
}

/* Reports fetched by the server from a list of URLs (reviewers and
 * administrators: the route table's rule).  The server answers once it
 * has tried every URL; meanwhile the batch fills as each file is stored,
 * and the progress bar follows it as it follows an upload. */
async function importUrls(text) {
  const lines = text.split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#'));
  if (!lines.length) { toast('请填写至少一个网址', true); return; }
  const who = reviewer() || '匿名';
  let batch;
  try {
    batch = await api('POST', 'batches', {reviewer: who, note: lines.length + ' 个网址'});
  } catch (e) { toast(e.message, true); return; }
  currentBatch = batch.id;
  uploading++;
  const progress = document.getElementById('progress');
  progress.hidden = false;
  delete progress.dataset.finished;
  const button = document.getElementById('url-import');
  button.disabled = true;
  poll();
  try {
    const r = await api('POST', 'batches/' + batch.id + '/urls', undefined, new Blob([lines.join('\n')]));
    const refused = r.files.filter(x => x.error).map(x => x.name + '：' + x.error);
    if (refused.length) toast('未能导入：' + refused.join('；'), true);
    else toast(`已下载 ${r.stored} 份${r.duplicates ? `，${r.duplicates} 份已在库中` : ''}`);
    document.getElementById('urls').value = '';
  } catch (e) { toast(e.message, true); }
  button.disabled = false;
  uploading--;
  poll();
}

function showBatch(b) {
  const c = b.counts;
  const total = Math.max(c.received, 1);
  document.getElementById('bar-done').style.width = (100 * c.done / total) + '%';
  document.getElementById('bar-failed').style.width = (100 * c.failed / total) + '%';
  document.getElementById('counts').textContent =
      `已接收 ${c.received} 份 · 已读取并检查 ${c.done} 份 · 无法读取 ${c.failed} 份 · 排队中 ${c.queued} 份`;
  const tbody = clear(document.querySelector('#batch-table tbody'));
  for (const r of b.reports) {
    tbody.append(el('tr', {class: 'state-' + r.state},
      el('td', null, r.state === 'done' ? reportLink(r.id, r.name) : r.name),
      el('td', null, el('span', {class: 'badge ' + r.state}, STATE[r.state] || r.state)),
      el('td', null, num(r.agency)),
      el('td', null, num(r.year)),
      el('td', {class: 'n' + (r.errors ? ' bad' : '')}, num(r.errors)),
      el('td', {class: 'n'}, num(r.warnings)),
      el('td', {class: 'msg'}, r.error || (r.region ? '机关：' + r.region : ''))));
  }
  return c.queued === 0;
}

async function poll() {
  if (!currentBatch) return;
  if (polling) { pollAgain = true; return; }
  polling = true;
  clearTimeout(pollTimer);
  try {
    const b = await api('GET', 'batches/' + currentBatch);
    const finished = showBatch(b) && !uploading;
    if (!finished) {
      pollTimer = setTimeout(poll, 700);
    } else {
      await loadYears();
      await refresh();
      document.getElementById('progress').dataset.finished = '1';
    }
  } catch (e) {
    pollTimer = setTimeout(poll, 2000);
  } finally {
    polling = false;
    if (pollAgain) { pollAgain = false; poll(); }
  }
}

/* ------------------------------------------------------------ roster */

function statusOf(b) {
  if (!b.report_id) return ['未发布', 'missing'];
  if (b.state === 'queued') return ['读取中', 'queued'];
  if (b.state === 'failed') return ['无法读取', 'failed'];
  if (b.late) return ['逾期发布', 'late'];
  if (!b.published) return ['已发布（无落款日期）', 'late'];
  return ['按时发布', 'ok'];
}

async function refresh() {
  const year = document.getElementById('year').value;
  document.getElementById('export').href = 'api/v1/export.xlsx?year=' + encodeURIComponent(year);
  document.getElementById('ranking-link').href = '/ranking?year=' + encodeURIComponent(year);
  let roster = [], reports = [], unmatched = [];
  try {
    [roster, reports, unmatched, regions] = await Promise.all([
      api('GET', 'roster?year=' + encodeURIComponent(year)),
      api('GET', 'reports?year=' + encodeURIComponent(year)),
      api('GET', 'reports?unmatched=1&year=' + encodeURIComponent(year)),
      api('GET', 'regions')]);
  } catch (e) { toast(e.message, true); return; }

  document.getElementById('roster-empty').hidden = roster.length > 0;
  document.getElementById('roster-table').hidden = roster.length === 0;
  document.getElementById('roster-more').hidden = roster.length === 0;
  const tally = {};
  for (const b of roster) { const [t] = statusOf(b); tally[t] = (tally[t] || 0) + 1; }
  const summary = document.getElementById('roster-summary');
  summary.hidden = roster.length === 0;
  summary.textContent = `名单共 ${roster.length} 个机关：` +
    ['按时发布', '逾期发布', '已发布（无落款日期）', '读取中', '无法读取', '未发布']
      .filter(k => tally[k]).map(k => k + ' ' + tally[k]).join('，');
  const tbody = clear(document.querySelector('#roster-table tbody'));
  for (const b of roster) {
    const [text, cls] = statusOf(b);
    tbody.append(el('tr', null,
      el('td', null, num(b.parent)),
      el('td', null, b.report_id ? reportLink(b.report_id, b.name) : b.name),
      el('td', null, b.kind),
      el('td', null, el('span', {class: 'badge ' + cls}, text)),
      el('td', {class: 'n' + (b.errors ? ' bad' : '')}, num(b.errors)),
      el('td', {class: 'n'}, num(b.warnings)),
      el('td', {class: 'n'}, b.report_id && b.confirmed
        ? el('a', {href: '/api/v1/reports/' + b.report_id + '/notice.docx', title: '下载整改通知（DOCX）'}, b.confirmed + ' · 整改通知')
        : b.report_id ? b.confirmed : ''),
      el('td', null, b.report_id ? b.review : ''),
      el('td', null, b.previous && b.report_id && b.state === 'done'
        ? el('a', {href: '/compare?id=' + b.report_id + '&with=' + b.previous}, '两年对照')
        : b.previous ? reportLink(b.previous, '上年报告') : '—'),
      el('td', null, el('button', {class: 'small link', title: '把这个机关移出本年度名单（机关和它的报告都保留）',
        onclick: async () => {
          const who = needReviewer(); if (!who) return;
          if (!confirm('把“' + b.name + '”移出 ' + year + ' 年度名单？')) return;
          try {
            await api('POST', 'roster/remove', {year: Number(year), region_id: b.body_id, reviewer: who});
            toast('已移出名单');
            refresh();
          } catch (e) { toast(e.message, true); }
        }}, '移出'))));
  }

  const parentSel = document.getElementById('add-parent');
  const keepParent = parentSel.value;
  clear(parentSel).append(el('option', {value: ''}, '（无上级）'),
    regions.map(g => el('option', {value: g.id}, g.name + '（' + g.kind + '）')));
  parentSel.value = keepParent;

  const bodies = regions.filter(r => ['乡镇', '街道', '部门', '县', '市', '省'].includes(r.kind));
  document.getElementById('unmatched-card').hidden = !(unmatched.length && regions.length);
  const ub = clear(document.querySelector('#unmatched-table tbody'));
  for (const r of unmatched) {
    const sel = el('select', null, el('option', {value: ''}, '请选择机关'),
                   bodies.map(g => el('option', {value: g.id}, g.name + '（' + g.kind + '）')));
    const btn = el('button', {class: 'small', onclick: async () => {
      const who = needReviewer(); if (!who || !sel.value) return;
      try {
        await api('POST', 'reports/' + r.id + '/body', {region_id: Number(sel.value), reviewer: who});
        toast('已指定');
        refresh();
      } catch (e) { toast(e.message, true); }
    }}, '指定');
    ub.append(el('tr', null, el('td', null, reportLink(r.id, r.name)), el('td', null, num(r.agency)),
      el('td', null, num(r.year)), el('td', null, MATCH[r.match] || '未找到'), el('td', null, sel, ' ', btn)));
  }

  const rb = clear(document.querySelector('#reports-table tbody'));
  for (const r of reports) {
    rb.append(el('tr', null,
      el('td', null, r.state === 'done' ? reportLink(r.id, r.name) : r.name),
      el('td', null, num(r.agency)),
      el('td', null, num(r.published)),
      el('td', null, el('span', {class: 'badge ' + r.state}, STATE[r.state] || r.state)),
      el('td', {class: 'n' + (r.errors ? ' bad' : '')}, num(r.errors)),
      el('td', {class: 'n'}, num(r.warnings)),
      el('td', null, r.review)));
  }
  document.getElementById('reports-card').hidden = reports.length === 0;
}

async function loadYears() {
  const sel = document.getElementById('year');
  const keep = sel.value;
  const st = await api('GET', 'status');
  const years = st.years.length ? st.years : [new Date().getFullYear() - 1];
  clear(sel);
  for (const y of years) sel.append(el('option', {value: y}, y + ' 年度'));
  if (keep && years.map(String).includes(keep)) sel.value = keep;
}

async function importRoster(input) {
  const f = input.files[0];
  if (!f) return;
  const who = needReviewer(); if (!who) { input.value = ''; return; }
  const year = document.getElementById('year').value;
  try {
    const r = await api('POST', 'roster?year=' + encodeURIComponent(year) + '&reviewer=' + encodeURIComponent(who), undefined, f);
    toast(`名单已导入：${r.rows} 个机关（新增 ${r.added_bodies} 个）`);
    refresh();
  } catch (e) { toast(e.message, true); }
  input.value = '';
}

document.addEventListener('DOMContentLoaded', async () => {
  setupReviewer();
  for (const id of ['files', 'folder'])
    document.getElementById(id).addEventListener('change', e => uploadFiles(e.target.files));
  const drop = document.getElementById('drop');
  drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', e => {
    e.preventDefault(); drop.classList.remove('over');
    uploadFiles(e.dataTransfer.files);
  });
  session().then(me => {
    document.getElementById('url-form').hidden = !(me.role === '管理员' || me.role === '审核人员');
  }).catch(() => {});
  document.getElementById('url-form').addEventListener('submit', e => {
    e.preventDefault();
    importUrls(document.getElementById('urls').value);
  });
  for (const id of ['roster-file', 'roster-file2'])
    document.getElementById(id).addEventListener('change', e => importRoster(e.target));
  document.getElementById('year').addEventListener('change', refresh);
  document.getElementById('add-body').addEventListener('submit', async e => {
    e.preventDefault();
    const who = needReviewer(); if (!who) return;
    const parent = document.getElementById('add-parent').value;
    try {
      await api('POST', 'regions', {
        name: document.getElementById('add-name').value.trim(),
        kind: document.getElementById('add-kind').value,
        parent_id: parent ? Number(parent) : null,
        year: document.getElementById('add-roster').checked ? Number(document.getElementById('year').value) : null,
        reviewer: who});
      document.getElementById('add-name').value = '';
      toast('已添加');
      refresh();
    } catch (err) { toast(err.message, true); }
  });
  document.getElementById('export').addEventListener('click', e => {
    const who = reviewer();
    e.currentTarget.href = '/api/v1/export.xlsx?year=' + encodeURIComponent(document.getElementById('year').value) +
        (who ? '&reviewer=' + encodeURIComponent(who) : '');
  });
  try { await loadYears(); } catch (e) { toast(e.message, true); }
  refresh();
});
