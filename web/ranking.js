/*
 * ranking.js - the ranking of a year's bodies by the office's scoring
 * rubric (GET /api/v1/ranking?year=Y): rank, points, the findings counted
 * by category, and the rubric itself.
 */
'use strict';

const FAMILY_NAMES = {
  arith: '算术', cell: '单元格', history: '与上年', meta: '基本信息',
  source: '来源', structure: '结构', text: '正文',
};

async function load() {
  setupReviewer();
  const params = new URLSearchParams(location.search);
  const year = params.get('year') || String(new Date().getFullYear() - 1);
  document.getElementById('title').textContent = year + ' 年度评分排名';
  let data;
  try {
    data = await api('GET', 'ranking?year=' + encodeURIComponent(year));
  } catch (e) {
    toast(e.message);
    return;
  }
  document.getElementById('rubric-source').textContent =
    (data.rubric === 'default' ? '使用默认评分规则' : '使用数据目录中的 rubric.tsv') +
    '；扣分越少名次越前，扣分相同名次并列；名单中本年度没有可读报告的机关扣 ' + data.unpublished + ' 分。';
  const body = clear(document.querySelector('#ranking tbody'));
  for (const b of data.bodies) {
    const counts = Object.entries(b.counts)
      .map(([fam, n]) => (FAMILY_NAMES[fam] || fam) + ' ' + n).join('，');
    body.append(el('tr', {dataset: {body: b.body_id}},
      el('td', {class: 'n'}, b.rank),
      el('td', {}, b.name),
      el('td', {}, b.parent || ''),
      el('td', {class: 'n points'}, b.points),
      el('td', {}, b.report_id ? (counts || '无') : '未发布'),
      el('td', {}, b.report_id ? el('a', {href: '/report?id=' + b.report_id}, '查看') : '')));
  }
  const rules = clear(document.querySelector('#rules tbody'));
  rules.append(el('tr', {}, el('td', {}, '未发布（unpublished）'), el('td', {class: 'n'}, data.unpublished)));
  for (const r of data.rules)
    rules.append(el('tr', {}, el('td', {}, el('code', {}, r.rule)), el('td', {class: 'n'}, r.points)));
}

document.addEventListener('DOMContentLoaded', load);
