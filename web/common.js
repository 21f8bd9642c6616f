/*
 * common.js - what every page of the workspace shares: building DOM nodes
 * (values always go in as text nodes, never as HTML, so nothing a report
 * says can run in the page), calling the JSON API, and the reviewer's
 * name, which is kept in this browser and sent with every change.
 */
'use strict';

/* el('td', {class: 'x'}, 'text', child...) */
function el(tag, attrs, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') n.className = v;
    else if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(n.dataset, v);
    else n.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    n.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return n;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

async function api(method, path, body, raw) {
  const opts = {method, headers: {}};
  if (raw !== undefined) {
    opts.body = raw;
    opts.headers['Content-Type'] = 'application/octet-stream';
  } else if (body !== undefined) {
    opts.body = JSON.stringify(body);
    opts.headers['Content-Type'] = 'application/json';
  }
  const res = await fetch('/api/v1/' + path, opts);
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (!res.ok) {
    const msg = data && data.error ? data.error : ('请求失败（' + res.status + '）');
    throw new Error(msg);
  }
  return data;
}

function reviewer() {
  const input = document.getElementById('reviewer');
  const name = input ? input.value.trim() : '';
  if (name) localStorage.setItem('gk-reviewer', name);
  return name;
}

function setupReviewer() {
  const input = document.getElementById('reviewer');
  if (!input) return;
  input.value = localStorage.getItem('gk-reviewer') || '';
  input.addEventListener('change', reviewer);
}

function needReviewer() {
  const name = reviewer();
  if (!name) {
    const input = document.getElementById('reviewer');
    input.classList.add('missing');
    input.focus();
    toast('请先在右上角填写审核人姓名');
    return null;
  }
  document.getElementById('reviewer').classList.remove('missing');
  return name;
}

function toast(msg, bad) {
  const box = document.getElementById('toast');
  if (!box) return;
  box.textContent = msg;
  box.className = 'toast show' + (bad ? ' bad' : '');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.className = 'toast'; }, 4000);
}

const SEVERITY = {error: '错误', warning: '警告', note: '提示'};
const STATE = {queued: '排队中', done: '已检查', failed: '无法读取'};
const MATCH = {exact: '名称一致', normalised: '名称相近', manual: '人工指定',
               unsure: '有多个可能，需人工指定', none: '未找到'};

/* A stored UTC time ("2025-01-20T08:30:00Z") in this browser's time. */
function localTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString('zh-CN', {hour12: false});
}
