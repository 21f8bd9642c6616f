/*
 * common.js - what every page of the workspace shares: building DOM nodes
 * (values always go in as text nodes, never as HTML, so nothing a report
 * says can run in the page), calling the JSON API with the session's
 * CSRF token, and the logged-in user, who is the reviewer of every change.
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

/* The logged-in user ({name, role, scope, csrf}), loaded once per page;
 * a page whose session has ended goes to the login page. */
let sessionPromise = null;

function toLogin() {
  const here = location.pathname + location.search;
  location.assign('/login?next=' + encodeURIComponent(here));
}

function session() {
  if (!sessionPromise) {
    sessionPromise = fetch('/api/v1/session', {credentials: 'same-origin'}).then(async res => {
      if (res.status === 401) { toLogin(); throw new Error('请先登录'); }
      const me = await res.json();
      if (me.must_change) { location.assign('/login?change=1'); throw new Error('请先修改初始密码'); }
      return me;
    });
  }
  return sessionPromise;
}

async function api(method, path, body, raw) {
  const opts = {method, headers: {}, credentials: 'same-origin'};
  if (method !== 'GET' && method !== 'HEAD') {
    /* every change carries the session's CSRF token */
    opts.headers['X-CSRF-Token'] = (await session()).csrf;
  }
  if (raw !== undefined) {
    opts.body = raw;
    opts.headers['Content-Type'] = 'application/octet-stream';
  } else if (body !== undefined) {
    opts.body = JSON.stringify(body);
    opts.headers['Content-Type'] = 'application/json';
  }
  const res = await fetch('/api/v1/' + path, opts);
  if (res.status === 401) { toLogin(); throw new Error('请先登录'); }
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (!res.ok) {
    const msg = data && data.error ? data.error : ('请求失败（' + res.status + '）');
    throw new Error(msg);
  }
  return data;
}

/* The reviewer of every change is the logged-in user (the server takes
 * it from the session; the name here is for the page). */
let currentUser = '';

function reviewer() {
  return currentUser;
}

function setupReviewer() {
  const out = document.getElementById('reviewer');
  const logout = document.getElementById('logout');
  if (logout) {
    logout.addEventListener('click', async () => {
      try { await api('POST', 'logout', {}); } catch (e) { /* ended anyway */ }
      location.assign('/login');
    });
  }
  session().then(me => {
    currentUser = me.name;
    if (out) out.textContent = me.name + '（' + me.role + '）';
    const admin = document.getElementById('admin-link');
    if (admin) admin.hidden = me.role !== '管理员';
  }).catch(() => {});
}

function needReviewer() {
  if (!currentUser) {
    toast('正在确认登录状态，请稍后再试');
    return null;
  }
  return currentUser;
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
