// Oqto's web UI: one page, routed by the URL's fragment, on the same REST API any frontend uses.
// Signed in by the session cookie (HttpOnly: this script never sees it); requests that change something carry the
// session's CSRF token, which the sign-in and GET /api/v1/me answer.
import { marked } from './vendor/marked.js';
import DOMPurify from './vendor/purify.js';
import { ApiError, request } from './api.js';

const state = { me: null, csrf: null, stream: null };

// --- the API -------------------------------------------------------------------------------------------------

async function api(method, path, body) {
  try {
    return await request(method, path, body, state.csrf);
  } catch (err) {
    if (err.status === 401 && path !== '/v1/auth/login') showLogin();
    throw err;
  }
}

// --- small helpers -------------------------------------------------------------------------------------------

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function mount(templateId) {
  const view = $('view');
  view.replaceChildren($(templateId).content.cloneNode(true));
  return view;
}

function showError(id, err) {
  const p = $(id);
  if (!p) return;
  p.textContent = err ? err.message : '';
  p.hidden = !err;
}

function markdown(text) {
  return DOMPurify.sanitize(marked.parse(text));
}

// --- sign-in ---------------------------------------------------------------------------------------------------

function showLogin() {
  closeStream();
  state.me = null;
  state.csrf = null;
  $('bar').hidden = true;
  mount('login-view');
  $('login-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    showError('login-error', null);
    $('login-submit').disabled = true;
    try {
      const me = await api('POST', '/v1/auth/login', { name: $('login-name').value, password: $('login-password').value });
      signedIn(me);
      if (location.hash === '#/chat') route();
      else location.hash = '#/chat'; // the hashchange routes
    } catch (err) {
      showError('login-error', err);
      $('login-password').select();
    } finally {
      const b = $('login-submit');
      if (b) b.disabled = false;
    }
  });
  $('login-name').focus();
}

function signedIn(me) {
  state.me = me;
  state.csrf = me.csrf_token;
  $('bar').hidden = false;
  $('who').textContent = `${me.name} (${me.role})`;
  $('nav-admin').hidden = me.role !== 'admin';
}

$('logout').addEventListener('click', async () => {
  try { await api('POST', '/v1/auth/logout'); } finally { showLogin(); }
});

// --- chat ------------------------------------------------------------------------------------------------------

function closeStream() {
  if (state.stream) state.stream.close();
  state.stream = null;
}

async function showChat() {
  mount('chat-view');
  $('new-session').addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {};
    const choice = $('new-model').selectedOptions[0];
    if (choice && choice.value) {
      body.provider = choice.dataset.provider;
      body.model = choice.dataset.model;
    }
    try {
      const s = await api('POST', '/v1/users/me/sessions', body);
      location.hash = '#/chat/' + encodeURIComponent(s.id);
    } catch (err) { showError('sessions-error', err); }
  });
  await Promise.all([listModels(), listSessions()]);
}

// The picker offers what the user's runner prepares for pi; "Default" leaves the choice to pi's settings.
async function listModels() {
  try {
    const list = await api('GET', '/v1/users/me/models');
    const select = $('new-model');
    if (!select) return;
    for (const m of list.models) {
      const label = `${m.name || m.id} (${m.provider})` + (m.reasoning ? ' · thinks' : '');
      select.append(el('option', { value: `${m.provider}/${m.id}`, 'data-provider': m.provider, 'data-model': m.id }, label));
    }
  } catch (err) { showError('sessions-error', err); }
}

async function listSessions() {
  try {
    const sessions = await api('GET', '/v1/users/me/sessions');
    const items = (sessions.sessions || sessions).map((s) => {
      const earlier = s.stop_reason === 'earlier';
      const label = s.title || s.id;
      const button = el('button', { type: 'button', 'data-session': s.id }, label,
        el('span', { class: 'state' }, earlier ? 'earlier' : s.state));
      button.addEventListener('click', async () => {
        if (earlier) {
          try {
            const resumed = await api('POST', '/v1/users/me/sessions', { resume: s.id });
            location.hash = '#/chat/' + encodeURIComponent(resumed.id);
          } catch (err) { showError('sessions-error', err); }
        } else {
          location.hash = '#/chat/' + encodeURIComponent(s.id);
        }
      });
      return el('li', {}, button);
    });
    $('session-list').replaceChildren(...items);
  } catch (err) { showError('sessions-error', err); }
}

// One open conversation: its events over SSE (EventSource reconnects by itself, sending Last-Event-ID, so a dropped
// network resumes where it stopped); events already seen are skipped, so nothing is shown twice.
function openSession(id) {
  closeStream();
  $('conversation-title').textContent = 'Session ' + id;
  $('prompt-form').hidden = false;
  const messages = $('messages');
  messages.replaceChildren();
  const conv = { id, lastSeq: 0, current: null, texts: new Map(), tools: new Map() };

  const es = new EventSource(`/api/v1/users/me/sessions/${encodeURIComponent(id)}/events`);
  state.stream = es;
  const on = (type, fn) => es.addEventListener(type, (ev) => {
    const seq = Number(ev.lastEventId);
    if (seq && seq <= conv.lastSeq) return;
    if (seq) conv.lastSeq = seq;
    const event = JSON.parse(ev.data);
    fn(event.data || {}, event);
  });

  on('session.starting', (d) => { $('stage').textContent = 'Starting: ' + d.stage; });
  on('session.state', (d) => {
    $('stage').textContent = d.state === 'idle' ? '' : 'State: ' + d.state + (d.reason ? ' (' + d.reason + ')' : '');
    listSessions();
    setWorking(d.state === 'working');
    if (d.state === 'idle') $('prompt').focus();
  });
  on('session.error', (d) => messages.append(el('p', { class: 'error', role: 'alert' }, d.message || 'error')));
  on('agent.working', () => { conv.abortShown = false; setWorking(true); });
  on('agent.idle', () => setWorking(false));
  on('message.start', (d) => {
    if (d.role === 'user') {
      const text = (d.message && contentText(d.message.content)) || '';
      messages.append(el('div', { class: 'message user' }, text));
      conv.current = null;
    } else if (d.role === 'assistant') {
      conv.current = null; // its box appears with its first text: a message that only calls a tool has none
    }
  });
  on('message.delta', (d) => {
    if (d.kind !== 'text' && d.kind !== 'thinking') return; // tool-call arguments: the tool card shows them whole
    if (!conv.current) {
      conv.current = { node: el('div', { class: 'message assistant' }), blocks: new Map() };
      messages.append(conv.current.node);
    }
    const key = d.kind + ':' + d.content_index;
    let block = conv.current.blocks.get(key);
    if (!block) {
      if (d.kind === 'thinking') {
        const body = el('div', { class: 'thinking-text' });
        block = { text: '', body, node: el('details', { class: 'thinking' }, el('summary', {}, 'Thinking'), body) };
      } else if (d.kind === 'text') {
        block = { text: '', body: el('div', { class: 'text' }) };
        block.node = block.body;
      }
      conv.current.blocks.set(key, block);
      conv.current.node.append(block.node);
    }
    block.text += d.delta;
    block.body.innerHTML = markdown(block.text);
  });
  // pi ends an aborted or failed answer with its stop reason (and may or may not send an error update first).
  on('message.end', (d) => {
    const m = d.message || {};
    if (d.role === 'assistant' && m.stopReason === 'aborted' && !conv.abortShown) {
      conv.abortShown = true;
      messages.append(el('p', { class: 'error', role: 'alert' }, 'Aborted.'));
    } else if (d.role === 'assistant' && m.stopReason === 'error') {
      messages.append(el('p', { class: 'error', role: 'alert' }, m.errorMessage || 'The model answered with an error.'));
    }
    conv.current = null;
  });
  on('message.error', (d) => {
    if (d.reason === 'aborted') {
      if (conv.abortShown) return;
      conv.abortShown = true;
    }
    messages.append(el('p', { class: 'error', role: 'alert' }, d.reason === 'aborted' ? 'Aborted.' : (d.error || 'error')));
  });
  on('tool.start', (d) => {
    const out = el('pre', { class: 'tool-output' });
    const card = el('div', { class: 'tool', 'data-tool': d.tool },
      el('strong', {}, d.tool), ' ', el('code', {}, argsText(d.args)), out);
    conv.tools.set(d.tool_call_id, { card, out });
    messages.append(card);
    conv.current = null;
  });
  on('tool.update', (d) => {
    const t = conv.tools.get(d.tool_call_id);
    if (t) t.out.textContent = resultText(d.partial);
  });
  on('tool.end', (d) => {
    const t = conv.tools.get(d.tool_call_id);
    if (!t) return;
    t.out.textContent = resultText(d.result);
    if (d.is_error) t.card.classList.add('error');
  });
  es.addEventListener('resync', () => { es.close(); openSession(id); });
  // The browser reconnects by itself (with Last-Event-ID); say so meanwhile.
  es.addEventListener('error', () => {
    if (es.readyState === EventSource.CONNECTING) $('stage').textContent = 'Connection lost: reconnecting…';
  });
  es.addEventListener('open', () => {
    if ($('stage').textContent.startsWith('Connection lost')) $('stage').textContent = '';
  });
  conv.send = async (message) => {
    const verb = $('abort').hidden ? 'prompt' : 'steer';
    await api('POST', `/v1/users/me/sessions/${encodeURIComponent(id)}/${verb}`, { message });
  };
  state.conversation = conv;
}

// While the agent works, Send steers it (the message goes in now) and "Queue as follow-up" waits for the run to end.
function setWorking(working) {
  for (const id of ['abort', 'follow-up']) {
    const b = $(id);
    if (b) b.hidden = !working;
  }
}

function contentText(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.filter((c) => c.type === 'text').map((c) => c.text).join('');
  return '';
}

function argsText(args) {
  if (!args) return '';
  if (typeof args.command === 'string') return args.command;
  return JSON.stringify(args);
}

function resultText(result) {
  if (!result) return '';
  if (typeof result === 'string') return result;
  if (Array.isArray(result.content)) return contentText(result.content);
  return JSON.stringify(result);
}

document.addEventListener('submit', async (e) => {
  if (e.target.id !== 'prompt-form') return;
  e.preventDefault();
  const text = $('prompt').value;
  if (!text.trim() || !state.conversation) return;
  try {
    await state.conversation.send(text);
    $('prompt').value = '';
  } catch (err) {
    $('messages').append(el('p', { class: 'error', role: 'alert' }, err.message));
  }
});

document.addEventListener('click', async (e) => {
  if (e.target.id !== 'follow-up' || !state.conversation) return;
  const text = $('prompt').value;
  if (!text.trim()) return;
  try {
    await api('POST', `/v1/users/me/sessions/${encodeURIComponent(state.conversation.id)}/follow-up`, { message: text });
    $('prompt').value = '';
  } catch (err) {
    $('messages').append(el('p', { class: 'error', role: 'alert' }, err.message));
  }
});

document.addEventListener('click', async (e) => {
  if (e.target.id !== 'abort' || !state.conversation) return;
  try {
    await api('POST', `/v1/users/me/sessions/${encodeURIComponent(state.conversation.id)}/abort`);
  } catch (err) {
    $('messages').append(el('p', { class: 'error', role: 'alert' }, err.message));
  }
});

// --- files ----------------------------------------------------------------------------------------------------

const MAX_VIEW = 1 << 20; // larger files are downloaded, not shown

function filesUrl(path) {
  return '/api/v1/users/me/files/' + path.split('/').map(encodeURIComponent).join('/');
}

function joinPath(dir, name) {
  return dir ? dir + '/' + name : name;
}

async function showFiles(dir) {
  mount('files-view');
  state.dir = dir;
  const crumbs = [el('button', { type: 'button', class: 'link', onclick: () => { location.hash = '#/files'; } }, 'workspace')];
  let acc = '';
  for (const part of dir ? dir.split('/') : []) {
    acc = joinPath(acc, part);
    const target = acc;
    crumbs.push(el('span', {}, '/'), el('button', { type: 'button', class: 'link', onclick: () => openDir(target) }, part));
  }
  $('crumbs').replaceChildren(...crumbs);

  $('mkdir-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    await attempt('files-error', async () => {
      await api('POST', '/v1/users/me/directories', { path: joinPath(dir, $('mkdir-name').value.trim()) });
      await listEntries(dir);
    });
  });
  $('upload-input').addEventListener('change', () => upload(dir, $('upload-input').files));
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    upload(dir, e.dataTransfer.files);
  });
  await listEntries(dir);
}

function openDir(dir) {
  location.hash = '#/files/' + dir.split('/').map(encodeURIComponent).join('/');
}

async function attempt(errorId, fn) {
  showError(errorId, null);
  try { await fn(); } catch (err) { showError(errorId, err); }
}

// Uploads stream the file as the request body (the browser does not hold it whole); the runner writes it in chunks.
async function upload(dir, files) {
  for (const file of files) {
    $('files-status').textContent = `Uploading ${file.name}…`;
    await attempt('files-error', async () => {
      const res = await fetch(filesUrl(joinPath(dir, file.name)), {
        method: 'PUT', body: file, credentials: 'same-origin',
        headers: { 'X-CSRF-Token': state.csrf, 'Content-Type': 'application/octet-stream' },
      });
      if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => ({})));
      $('files-status').textContent = `Uploaded ${file.name}.`;
    });
  }
  $('upload-input').value = '';
  await listEntries(dir);
}

async function listEntries(dir) {
  await attempt('files-error', async () => {
    const listing = await api('GET', '/v1/users/me/files' + (dir ? '/' + dir.split('/').map(encodeURIComponent).join('/') : ''));
    $('entries').replaceChildren(...listing.entries.map((e) => entryRow(dir, e)));
  });
}

function entryRow(dir, entry) {
  const path = joinPath(dir, entry.name);
  const isDir = entry.kind === 'directory';
  const name = isDir
    ? el('button', { type: 'button', class: 'link', onclick: () => openDir(path) }, entry.name + '/')
    : el('button', { type: 'button', class: 'link', onclick: () => view(path, entry) }, entry.name);
  const actions = el('td', { class: 'actions' });
  if (!isDir) actions.append(el('a', { class: 'download', href: filesUrl(path), download: entry.name }, 'Download'));
  actions.append(
    el('button', { type: 'button', 'data-action': 'rename', onclick: () => renameForm(actions, dir, entry) }, 'Rename'),
    el('button', { type: 'button', 'data-action': 'delete', onclick: () => confirmDelete(actions, path, isDir) }, 'Delete'));
  return el('tr', { 'data-name': entry.name }, el('td', {}, name), el('td', {}, isDir ? '' : String(entry.size)), actions);
}

function renameForm(cell, dir, entry) {
  const input = el('input', { 'aria-label': 'New name for ' + entry.name, value: entry.name });
  const form = el('form', { class: 'inline' }, input, el('button', { type: 'submit' }, 'Save'),
    el('button', { type: 'button', onclick: () => listEntries(dir) }, 'Cancel'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    await attempt('files-error', async () => {
      await api('POST', '/v1/users/me/renames', { from: joinPath(dir, entry.name), to: joinPath(dir, input.value.trim()) });
      await listEntries(dir);
    });
  });
  cell.replaceChildren(form);
  input.focus();
  input.select();
}

function confirmDelete(cell, path, isDir) {
  const yes = el('button', { type: 'button', 'data-action': 'confirm-delete' }, 'Yes, delete');
  yes.addEventListener('click', () => attempt('files-error', async () => {
    const query = isDir ? '?recursive=true' : '';
    const res = await fetch(filesUrl(path) + query, {
      method: 'DELETE', credentials: 'same-origin', headers: { 'X-CSRF-Token': state.csrf },
    });
    if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => ({})));
    await listEntries(state.dir);
  }));
  cell.replaceChildren(el('span', { role: 'alert' }, `Delete ${path}${isDir ? ' and everything in it' : ''}?`), yes,
    el('button', { type: 'button', onclick: () => listEntries(state.dir) }, 'Cancel'));
  yes.focus();
}

async function view(path, entry) {
  if (entry.size > MAX_VIEW) {
    showError('files-error', new Error(`${entry.name} is too large to show here: download it`));
    return;
  }
  await attempt('files-error', async () => {
    const res = await fetch(filesUrl(path), { credentials: 'same-origin' });
    if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => ({})));
    const bytes = new Uint8Array(await res.arrayBuffer());
    let text;
    try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch {
      throw new Error(`${entry.name} is not text: download it`);
    }
    $('viewer-title').textContent = path;
    $('viewer-text').textContent = text;
    $('viewer').hidden = false;
  });
}

// --- processes --------------------------------------------------------------------------------------------------

async function showProcesses() {
  mount('processes-view');
  await listProcesses();
}

async function listProcesses() {
  await attempt('processes-error', async () => {
    const data = await api('GET', '/v1/users/me/processes');
    const rows = (data.processes || data).map((p) => {
      const actions = el('td', { class: 'actions' },
        el('button', { type: 'button', onclick: () => followOutput(p.name) }, 'Output'));
      if (p.running) {
        actions.append(el('button', { type: 'button', 'data-action': 'stop', onclick: () => attempt('processes-error', async () => {
          await api('POST', `/v1/users/me/processes/${encodeURIComponent(p.name)}/stop`);
          await listProcesses();
        }) }, 'Stop'));
      }
      return el('tr', { 'data-name': p.name }, el('td', {}, p.name), el('td', {}, String(p.pid ?? '')),
        el('td', {}, p.running ? 'running' : `exited ${p.exit_code ?? p.exit_signal ?? ''}`), actions);
    });
    $('process-rows').replaceChildren(...rows);
  });
}

function followOutput(name) {
  closeStream();
  $('process-output').hidden = false;
  $('output-title').textContent = 'Output of ' + name;
  const out = $('output-text');
  out.textContent = '';
  const es = new EventSource(`/api/v1/users/me/processes/${encodeURIComponent(name)}/events`);
  state.stream = es;
  let last = 0;
  es.addEventListener('output', (ev) => {
    for (const line of JSON.parse(ev.data).lines) {
      if (line.seq <= last) continue;
      last = line.seq;
      out.append(line.text + '\n');
    }
    out.scrollTop = out.scrollHeight;
  });
  es.addEventListener('process_exited', (ev) => {
    const d = JSON.parse(ev.data);
    out.append(`[exited: ${d.exit_code ?? d.exit_signal}]\n`);
    if (!d.restarting) { es.close(); listProcesses(); }
  });
}

// --- admin -----------------------------------------------------------------------------------------------------

async function showAdmin() {
  mount('admin-view');
  $('user-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    await attempt('admin-error', async () => {
      $('user-create').disabled = true;
      try {
        const created = await api('POST', '/v1/admin/users',
          { name: $('user-name').value.trim(), email: $('user-email').value.trim(), role: $('user-role').value });
        $('admin-status').textContent = created.token
          ? `Created ${created.user.name}. Their first API token (shown once): ${created.token}`
          : `${created.user.name} existed and is up to date.`;
        $('user-form').reset();
        await listUsers();
      } finally { $('user-create').disabled = false; }
    });
  });
  await listUsers();
}

async function listUsers() {
  await attempt('admin-error', async () => {
    const { users } = await api('GET', '/v1/admin/users');
    $('user-rows').replaceChildren(...users.map(userRow));
    for (const u of users) runnerStatus(u);
  });
}

function userRow(u) {
  const actions = el('td', { class: 'actions' });
  const act = (label, fn) => el('button', { type: 'button', 'data-action': label.toLowerCase().replace(/[^a-z]+/g, '-'), onclick: fn }, label);
  actions.append(
    u.state === 'active'
      ? act('Disable', () => attempt('admin-error', async () => { await api('POST', `/v1/admin/users/${u.name}/disable`); await listUsers(); }))
      : act('Enable', () => attempt('admin-error', async () => { await api('POST', `/v1/admin/users/${u.name}/enable`); await listUsers(); })),
    act('Reset password', () => passwordForm(actions, u)),
    act('Delete', () => {
      const yes = act('Yes, delete', () => attempt('admin-error', async () => {
        await api('DELETE', `/v1/admin/users/${u.name}`);
        $('admin-status').textContent = `Deleted ${u.name}.`;
        await listUsers();
      }));
      actions.replaceChildren(el('span', { role: 'alert' }, `Delete ${u.name}, their account and files?`), yes,
        act('Cancel', () => listUsers()));
      yes.focus();
    }));
  return el('tr', { 'data-user': u.name }, el('td', {}, u.name), el('td', {}, u.email), el('td', {}, u.role),
    el('td', {}, u.state), el('td', { class: 'runner' }, '…'), actions);
}

function passwordForm(cell, u) {
  const input = el('input', { type: 'password', 'aria-label': 'New password for ' + u.name, autocomplete: 'new-password' });
  const form = el('form', { class: 'inline' }, input, el('button', { type: 'submit' }, 'Set'),
    el('button', { type: 'button', onclick: () => listUsers() }, 'Cancel'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    await attempt('admin-error', async () => {
      await api('PUT', `/v1/admin/users/${u.name}/password`, { password: input.value });
      $('admin-status').textContent = `Password of ${u.name} set; their browser sessions ended.`;
      await listUsers();
    });
  });
  cell.replaceChildren(form);
  input.focus();
}

async function runnerStatus(u) {
  const cell = document.querySelector(`tr[data-user="${u.name}"] .runner`);
  if (!cell) return;
  try {
    const s = await api('GET', `/v1/users/${u.name}/runner`);
    cell.textContent = `up, pid ${s.pid}`;
  } catch (err) {
    cell.textContent = err.code || 'unavailable';
  }
}

// --- routing ---------------------------------------------------------------------------------------------------

async function route() {
  if (!state.me) {
    try {
      signedIn(await api('GET', '/v1/me'));
    } catch (err) {
      if (err.status !== 401) $('view').textContent = err.message;
      return; // showLogin ran
    }
  }
  const [, page, ...rest] = (location.hash || '#/chat').split('/');
  const arg = rest.join('/');
  closeStream();
  const pages = {
    files: () => showFiles(rest.map(decodeURIComponent).join('/')),
    processes: showProcesses,
    admin: state.me.role === 'admin' ? showAdmin : null,
  };
  if (pages[page]) {
    await pages[page]();
    $('view').focus();
    return;
  }
  // The chat page is mounted once; opening another session keeps it and swaps the conversation.
  if (!$('session-list')) await showChat();
  else await listSessions();
  if (arg) openSession(decodeURIComponent(arg));
  else $('view').focus();
  // When the first page is usable (User Timing: what bench/ui.sh reads as time to interactive).
  if (!performance.getEntriesByName('oqto-ready').length) performance.mark('oqto-ready');
}

window.addEventListener('hashchange', route);
route();
