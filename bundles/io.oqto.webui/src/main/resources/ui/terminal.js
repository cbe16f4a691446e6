// The terminal page: a shell of the signed-in user — as their Linux user, in their sandbox, in their workspace —
// shown by xterm.js over the control plane's WebSocket in ttyd's protocol (docs/terminals.md): the size first as
// JSON, then frames whose first byte says what they are: '0' input or output, '1' resize or title, '2' preferences.
// A tab that loses its connection reconnects (with backoff) and is shown the terminal's recent output again.
import { Terminal } from './vendor/xterm.js';
import { FitAddon } from './vendor/xterm-addon-fit.js';
import { request } from './api.js';

const $ = (id) => document.getElementById(id);
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const RECONNECT_MAX_MS = 10000;

// replaying: from a connection's start until its preferences message, the bridge replays the terminal's recent
// output; xterm.js would answer the queries in it (cursor position, colours) as if they were new, typing the answers
// into the shell. What xterm.js sends while replaying is dropped.
const page = { csrf: null, id: null, socket: null, attempts: 0, timer: null, replaying: false };

// lineHeight above 1: at 1 the monospace fonts here lose the underscore to the next row.
const term = new Terminal({ cursorBlink: true, scrollback: 5000, fontFamily: 'ui-monospace, monospace', fontSize: 14, lineHeight: 1.2 });
const fit = new FitAddon();
term.loadAddon(fit);

function api(method, path, body) {
  return request(method, path, body, page.csrf);
}

function status(text) {
  $('terminal-status').textContent = text;
}

function showError(err) {
  const p = $('terminal-error');
  p.textContent = err ? (err.message || String(err)) : '';
  p.hidden = !err;
}

function frame(command, text) {
  const body = encoder.encode(text);
  const bytes = new Uint8Array(body.length + 1);
  bytes[0] = command.charCodeAt(0);
  bytes.set(body, 1);
  return bytes;
}

function send(bytes) {
  if (page.socket && page.socket.readyState === WebSocket.OPEN) page.socket.send(bytes);
}

// --- the terminals: list, new, end ---------------------------------------------------------------------------

async function listTerminals(selected) {
  const terminals = await api('GET', '/v1/users/me/terminals');
  const select = $('terminal-select');
  select.replaceChildren(...terminals.map((t) => {
    const o = document.createElement('option');
    o.value = t.id;
    o.textContent = `${t.id} (${t.cwd})`;
    return o;
  }));
  if (selected) select.value = selected;
  $('terminal-end').disabled = terminals.length === 0;
  return terminals;
}

async function newTerminal() {
  showError(null);
  $('terminal-new').disabled = true;
  try {
    const t = await api('POST', '/v1/users/me/terminals', {});
    await listTerminals(t.id);
    location.hash = '#' + t.id; // the hashchange connects
  } catch (err) {
    showError(err);
  } finally {
    $('terminal-new').disabled = false;
  }
}

async function endTerminal() {
  const id = $('terminal-select').value;
  if (!id) return;
  showError(null);
  try {
    await api('DELETE', `/v1/users/me/terminals/${encodeURIComponent(id)}`);
    const left = await listTerminals();
    location.hash = left.length ? '#' + left[0].id : '';
    if (!left.length) disconnect('no terminal open');
  } catch (err) {
    showError(err);
  }
}

// --- the connection ---------------------------------------------------------------------------------------------

function disconnect(why) {
  clearTimeout(page.timer);
  const old = page.socket;
  page.socket = null;
  if (old) old.close(1000);
  status(why);
}

function connect(id) {
  disconnect('connecting…');
  page.id = id;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(`${scheme}//${location.host}/api/v1/users/me/terminals/${encodeURIComponent(id)}`, ['tty']);
  socket.binaryType = 'arraybuffer';
  page.socket = socket;
  socket.onopen = () => {
    page.attempts = 0;
    page.replaying = true;
    // A terminal program that sends no preferences still gets the user's keys, after a moment.
    setTimeout(() => term.write('', () => { if (page.socket === socket) page.replaying = false; }), 2000);
    showError(null);
    status(`terminal ${id}`);
    term.reset(); // the bridge replays the terminal's recent output to a tab that (re)attaches
    fit.fit();
    socket.send(encoder.encode(JSON.stringify({ AuthToken: '', columns: term.cols, rows: term.rows })));
    term.focus();
  };
  socket.onmessage = (ev) => {
    const data = typeof ev.data === 'string' ? encoder.encode(ev.data) : new Uint8Array(ev.data);
    if (data.length === 0) return;
    const payload = data.subarray(1);
    switch (String.fromCharCode(data[0])) {
      case '0': term.write(payload); break;
      case '1': document.title = `${decoder.decode(payload)} · Oqto`; break;
      case '2':
        // ttyd's client preferences (not taken), last of the opening messages: once xterm.js has worked through
        // the output before them, what it sends is the user's again.
        term.write('', () => { if (page.socket === socket) page.replaying = false; });
        break;
      default: break;
    }
  };
  socket.onclose = (ev) => {
    if (page.socket !== socket) return; // replaced or closed on purpose
    page.socket = null;
    if (ev.code === 1000) {
      // The terminal ended (its shell exited, or it was ended): nothing to reconnect to.
      status(ev.reason || 'terminal ended');
      term.write(`\r\n[${ev.reason || 'terminal ended'}]\r\n`);
      listTerminals().catch(showError);
      return;
    }
    if (ev.code === 1008) {
      // Refused (signed out, not allowed, no such terminal): reconnecting would be refused again.
      showError(new Error(ev.reason || 'the terminal refused this tab'));
      status('not connected');
      return;
    }
    // The network or the server went away: try again, waiting longer each time.
    const wait = Math.min(RECONNECT_MAX_MS, 500 * 2 ** page.attempts++);
    status(`connection lost; reconnecting in ${Math.round(wait / 100) / 10} s…`);
    page.timer = setTimeout(() => { if (page.id === id) connect(id); }, wait);
  };
}

term.onData((data) => { if (!page.replaying) send(frame('0', data)); });
term.onBinary((data) => {
  if (page.replaying) return;
  const bytes = new Uint8Array(data.length + 1);
  bytes[0] = 0x30;
  for (let i = 0; i < data.length; i++) bytes[i + 1] = data.charCodeAt(i) & 0xff;
  send(bytes);
});
term.onResize(({ cols, rows }) => send(frame('1', JSON.stringify({ columns: cols, rows }))));
window.addEventListener('resize', () => fit.fit());
window.addEventListener('hashchange', () => route());
window.addEventListener('online', () => { if (!page.socket && page.id) connect(page.id); });

// --- start ---------------------------------------------------------------------------------------------------

async function route() {
  const id = decodeURIComponent(location.hash.slice(1));
  if (!id) {
    disconnect('no terminal open');
    return;
  }
  $('terminal-select').value = id;
  if (page.id !== id || !page.socket) connect(id);
}

async function start() {
  let me;
  try {
    me = await request('GET', '/v1/me');
  } catch (err) {
    if (err.status === 401) location.replace('/'); // the main page signs in
    else showError(err);
    return;
  }
  page.csrf = me.csrf_token;
  $('who').textContent = `${me.name} (${me.role})`;
  $('nav-admin').hidden = me.role !== 'admin';
  term.open($('terminal'));
  fit.fit();
  $('terminal-new').addEventListener('click', newTerminal);
  $('terminal-end').addEventListener('click', endTerminal);
  $('terminal-select').addEventListener('change', (e) => { location.hash = '#' + e.target.value; });
  try {
    const terminals = await listTerminals(decodeURIComponent(location.hash.slice(1)) || undefined);
    if (!location.hash && terminals.length) location.hash = '#' + terminals[0].id;
    else if (location.hash) route();
    else status('no terminal open: New terminal starts one');
  } catch (err) {
    showError(err);
  }
  performance.mark('oqto-ready');
}

start();
