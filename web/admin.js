/*
 * admin.js - the administrator's page: users (create with a one-time
 * password, reset a password, change a role or scope, disable and enable
 * an account) and the audit log.  Every value goes into the page as text
 * (el()).
 */
'use strict';

const ACTIONS = {
  login: '登录', 'login-failed': '登录失败', 'login-limited': '登录受限', logout: '退出登录',
  'password-change': '修改密码', 'user-add': '创建用户', 'user-reset': '重置密码',
  'user-change': '修改用户', 'login-disabled': '已停用账号登录',
  'init-admin': '命令行创建管理员', upload: '上传', 'upload-duplicate': '重复上传',
  review: '审核', correct: '更正', match: '指定机关', export: '导出', notice: '整改通知',
  'roster-import': '导入名单', 'roster-remove': '移出名单', 'region-add': '添加机关'
};

function showPassword(name, pw) {
  const box = document.getElementById('user-password');
  box.hidden = false;
  clear(box).append(el('span', null, '用户 ' + name + ' 的一次性密码：'),
                    el('code', {id: 'once-password'}, pw),
                    el('span', null, '（只显示这一次，请当面或以安全方式交给本人；首次登录须修改）'));
}

const ROLES = ['管理员', '审核人员', '填报人员', '只读'];
let regions = [];

/* A select of every role, with `role` chosen. */
function roleSelect(role) {
  return el('select', {class: 'user-role'},
            ...ROLES.map(r => el('option', {value: r, selected: r === role}, r)));
}

/* A select of the scopes (the whole tree and every node), with `scope`
 * (0: the whole tree) chosen. */
function scopeSelect(scope) {
  return el('select', {class: 'user-scope'},
            el('option', {value: '', selected: !scope}, '全部'),
            ...regions.map(g => el('option', {value: g.id, selected: g.id === scope},
                                   g.name + '（' + g.kind + '）')));
}

async function changeUser(u, change, question) {
  if (question && !confirm(question)) return;
  try {
    await api('POST', 'users/' + u.id, change);
    toast('已修改用户 ' + u.name);
    await Promise.all([loadUsers(), loadAudit()]);
  } catch (e) { toast(e.message, true); }
}

async function loadUsers() {
  const users = await api('GET', 'users');
  const me = await session();
  const body = clear(document.querySelector('#user-table tbody'));
  for (const u of users) {
    const role = roleSelect(u.role), scope = scopeSelect(u.scope);
    const self = u.id === me.id;
    body.append(el('tr', {dataset: {user: u.name}, class: u.disabled ? 'disabled' : null},
      el('td', null, u.name), el('td', null, role), el('td', null, scope),
      el('td', {class: 'user-state'}, u.disabled ? '已停用' : '在用'),
      el('td', null, localTime(u.created)),
      el('td', null,
        el('button', {type: 'button', class: 'small user-save', onclick: () => changeUser(u, {
          role: role.value, scope: scope.value ? Number(scope.value) : null})}, '保存角色和范围'),
        ' ',
        el('button', {type: 'button', class: 'small user-disable', disabled: self && !u.disabled,
                      title: self ? '不能停用自己的账号' : null,
                      onclick: () => changeUser(u, {disabled: !u.disabled}, u.disabled ? null :
                        '停用 ' + u.name + '？其现有登录将立即失效，之后不能登录，直到再次启用。')},
           u.disabled ? '启用' : '停用'),
        ' ',
        el('button', {type: 'button', class: 'small', onclick: async () => {
          if (!confirm('重置 ' + u.name + ' 的密码？其现有登录将失效。')) return;
          try {
            const r = await api('POST', 'users/' + u.id + '/password', {});
            showPassword(u.name, r.password);
          } catch (e) { toast(e.message, true); }
        }}, '重置密码'))));
  }
}

async function loadRegions() {
  regions = await api('GET', 'regions');
  const sel = document.getElementById('user-scope');
  /* every node: a township's or a department's clerk (填报人员) has that
   * body as their scope */
  for (const g of regions)
    sel.append(el('option', {value: g.id}, g.name + '（' + g.kind + '）'));
}

async function loadAudit() {
  const rows = await api('GET', 'audit');
  const body = clear(document.querySelector('#audit-table tbody'));
  for (const a of rows) {
    body.append(el('tr', null, el('td', null, localTime(a.at)), el('td', null, a.actor),
                   el('td', null, ACTIONS[a.action] || a.action), el('td', null, a.object),
                   el('td', null, a.detail)));
  }
}

document.addEventListener('DOMContentLoaded', () => {
  setupReviewer();
  document.getElementById('user-form').addEventListener('submit', async ev => {
    ev.preventDefault();
    const name = document.getElementById('user-name').value.trim();
    const role = document.getElementById('user-role').value;
    const scope = document.getElementById('user-scope').value;
    try {
      const r = await api('POST', 'users', {name, role, scope: scope ? Number(scope) : null});
      showPassword(r.name, r.password);
      document.getElementById('user-name').value = '';
      await Promise.all([loadUsers(), loadAudit()]);
    } catch (e) { toast(e.message, true); }
  });
  /* the users' scope selects list the regions: load those first */
  loadRegions().then(() => Promise.all([loadUsers(), loadAudit()]))
    .catch(e => toast(e.message, true));
});
