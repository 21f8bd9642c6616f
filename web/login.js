/*
 * login.js - the login page: logs in, and when the password is a
 * one-time one (set by an administrator), asks for a new one before the
 * workspace opens.  Goes back to the page the user came from (?next=, a
 * path on this server only).
 */
'use strict';

function nextPage() {
  const next = new URLSearchParams(location.search).get('next') || '/';
  /* only a path of this server: not "//host" or "https://..." */
  return /^\/(?![/\\])/.test(next) ? next : '/';
}

function showError(msg) {
  document.getElementById('login-error').textContent = msg || '';
}

let csrf = null;
let oldPassword = '';

function askNewPassword() {
  document.getElementById('login-card').hidden = true;
  document.getElementById('change-card').hidden = false;
  const old = document.getElementById('change-old');
  if (oldPassword) old.value = oldPassword;
  document.getElementById(oldPassword ? 'change-new' : 'change-old').focus();
}

async function post(path, body) {
  const headers = {'Content-Type': 'application/json'};
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch('/api/v1/' + path, {method: 'POST', headers, body: JSON.stringify(body),
                                             credentials: 'same-origin'});
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (!res.ok) throw new Error(data && data.error ? data.error : '请求失败（' + res.status + '）');
  return data;
}

document.addEventListener('DOMContentLoaded', async () => {
  if (new URLSearchParams(location.search).get('change')) {
    try {
      const res = await fetch('/api/v1/session', {credentials: 'same-origin'});
      if (res.ok) {
        const me = await res.json();
        csrf = me.csrf;
        askNewPassword();
      }
    } catch (e) { /* stay on the login form */ }
  }
  document.getElementById('login-form').addEventListener('submit', async ev => {
    ev.preventDefault();
    showError('');
    const name = document.getElementById('login-name').value.trim();
    const password = document.getElementById('login-password').value;
    try {
      const me = await post('login', {name, password});
      csrf = me.csrf;
      if (me.must_change) {
        oldPassword = password;
        askNewPassword();
      } else {
        location.assign(nextPage());
      }
    } catch (e) {
      showError(e.message);
    }
  });
  document.getElementById('change-form').addEventListener('submit', async ev => {
    ev.preventDefault();
    showError('');
    const old = document.getElementById('change-old').value;
    const pw = document.getElementById('change-new').value;
    if (pw !== document.getElementById('change-again').value) {
      showError('两次输入的新密码不一致');
      return;
    }
    try {
      await post('password', {old, new: pw});
      location.assign(nextPage());
    } catch (e) {
      showError(e.message);
    }
  });
});
