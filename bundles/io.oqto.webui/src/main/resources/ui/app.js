// Oqto's web UI: one page, routed by the URL's fragment, on the same REST API any frontend uses.
// Signed in by the session cookie (HttpOnly: this script never sees it); requests that change something carry the
// session's CSRF token, which the sign-in and GET /api/v1/me answer.
import { marked } from './vendor/marked.js';
import DOMPurify from './vendor/purify.js';

const state = { me: null, csrf: null, stream: null };

// --- the API -------------------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code;
  }
}

async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
  const res = await fetch('/api' + path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return null;
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) {
    if (res.status === 401 && path !== '/v1/auth/login') showLogin();
    throw new ApiError(res.status, data || {});
  }
  return data;
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
    if ($('new-provider').value.trim()) body.provider = $('new-provider').value.trim();
    if ($('new-model').value.trim()) body.model = $('new-model').value.trim();
    try {
      const s = await api('POST', '/v1/users/me/sessions', body);
      location.hash = '#/chat/' + encodeURIComponent(s.id);
    } catch (err) { showError('sessions-error', err); }
  });
  await listSessions();
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
  $('send').disabled = true; // until the session says it is idle
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
    $('send').disabled = d.state !== 'idle' && d.state !== 'working';
    listSessions();
    setWorking(d.state === 'working');
    if (d.state === 'idle') $('prompt').focus();
  });
  on('session.error', (d) => messages.append(el('p', { class: 'error', role: 'alert' }, d.message || 'error')));
  on('agent.working', () => setWorking(true));
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
      } else {
        return; // tool-call arguments stream too; the tool card shows them whole
      }
      conv.current.blocks.set(key, block);
      conv.current.node.append(block.node);
    }
    block.text += d.delta;
    block.body.innerHTML = markdown(block.text);
  });
  on('message.error', (d) => messages.append(el('p', { class: 'error', role: 'alert' }, d.reason === 'aborted' ? 'Aborted.' : (d.error || 'error'))));
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
  conv.send = async (message) => {
    const verb = $('abort').hidden ? 'prompt' : 'steer';
    await api('POST', `/v1/users/me/sessions/${encodeURIComponent(id)}/${verb}`, { message });
  };
  state.conversation = conv;
}

function setWorking(working) {
  const abort = $('abort');
  if (abort) abort.hidden = !working;
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
  if (e.target.id !== 'abort' || !state.conversation) return;
  try {
    await api('POST', `/v1/users/me/sessions/${encodeURIComponent(state.conversation.id)}/abort`);
  } catch (err) {
    $('messages').append(el('p', { class: 'error', role: 'alert' }, err.message));
  }
});

// --- admin -----------------------------------------------------------------------------------------------------

async function showAdmin() {
  mount('admin-view');
  try {
    const { users } = await api('GET', '/v1/admin/users');
    $('user-rows').replaceChildren(...users.map((u) =>
      el('tr', {}, el('td', {}, u.name), el('td', {}, u.email), el('td', {}, u.role), el('td', {}, u.state))));
  } catch (err) { showError('admin-error', err); }
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
  const [, page, arg] = (location.hash || '#/chat').split('/');
  closeStream();
  if (page === 'admin' && state.me.role === 'admin') {
    await showAdmin();
    $('view').focus();
    return;
  }
  // The chat page is mounted once; opening another session keeps it and swaps the conversation.
  if (!$('session-list')) await showChat();
  else await listSessions();
  if (arg) openSession(decodeURIComponent(arg));
  else $('view').focus();
}

window.addEventListener('hashchange', route);
route();
