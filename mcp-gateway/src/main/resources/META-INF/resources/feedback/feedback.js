// The feedback page: pending requests arrive live over /ws/feedback; answers (text and images)
// are posted to /api/mcp/feedback/{id}/answer, which checks them again on the server.
'use strict';

const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
const list = document.getElementById('requests');
const empty = document.getElementById('empty');
const connection = document.getElementById('connection');
const shown = new Map();

// Credentials outside local mode: a key or token handed over in the address (#token=…, then
// removed from it) or typed when the gateway asks, kept for this tab only. In local mode none is needed.
const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
if (fromHash) {
  sessionStorage.setItem('suite-token', fromHash);
  history.replaceState(null, '', location.pathname + location.search);
}
function token() { return sessionStorage.getItem('suite-token'); }
function authHeaders(extra) {
  return token() ? { ...extra, Authorization: `Bearer ${token()}` } : extra;
}
function askForKey() {
  if (document.getElementById('login')) return;
  const form = document.createElement('form');
  form.id = 'login';
  form.className = 'request';
  form.innerHTML = '<p>This gateway needs your API key or access token.</p>'
    + '<div class="actions"><input type="password" name="key" placeholder="Key or token" autocomplete="off">'
    + '<button type="submit">Connect</button></div>';
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem('suite-token', form.key.value.trim());
    form.remove();
    connect();
  });
  document.querySelector('main').prepend(form);
}

// Markdown, safely: everything is escaped first, then a small set of constructs is turned into
// tags the page creates itself. No HTML from the summary ever reaches the document.
function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function inline(text) {
  return text
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\*([^*]+)\*/g, '<em>$1</em>')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)"]+)\)/g, '<a href="$2" target="_blank" rel="noopener noreferrer">$1</a>');
}

function markdown(source) {
  const out = [];
  const blocks = escapeHtml(source).split(/\n```/);
  blocks.forEach((block, index) => {
    if (index % 2 === 1) {
      out.push('<pre><code>' + block.replace(/^[^\n]*\n/, '') + '</code></pre>');
      return;
    }
    let listOpen = false;
    for (const line of block.split('\n')) {
      const heading = line.match(/^(#{1,4})\s+(.*)/);
      const item = line.match(/^\s*[-*]\s+(.*)/);
      if (item) {
        if (!listOpen) { out.push('<ul>'); listOpen = true; }
        out.push('<li>' + inline(item[1]) + '</li>');
        continue;
      }
      if (listOpen) { out.push('</ul>'); listOpen = false; }
      if (heading) {
        const level = heading[1].length + 2;
        out.push(`<h${level}>` + inline(heading[2]) + `</h${level}>`);
      } else if (line.trim() !== '') {
        out.push('<p>' + inline(line) + '</p>');
      }
    }
    if (listOpen) out.push('</ul>');
  });
  return out.join('');
}

function refreshEmpty() {
  empty.hidden = shown.size > 0;
}

function show(request) {
  if (shown.has(request.feedback_id)) return;
  const node = document.getElementById('request').content.firstElementChild.cloneNode(true);
  node.dataset.id = request.feedback_id;
  node.querySelector('.when').textContent = new Date(request.created_at).toLocaleString();
  node.querySelector('.expires').textContent = 'waits until ' + new Date(request.expires_at).toLocaleTimeString();
  node.querySelector('.summary').innerHTML = markdown(request.summary);
  const images = [];
  const form = node.querySelector('form');
  const textarea = form.querySelector('textarea');
  const error = form.querySelector('.error');
  const gallery = form.querySelector('.images');

  function addImages(files) {
    for (const file of files) {
      if (!IMAGE_TYPES.includes(file.type)) { error.textContent = `${file.name || 'image'}: only PNG, JPEG, GIF or WebP`; continue; }
      if (file.size > MAX_IMAGE_BYTES) { error.textContent = `${file.name || 'image'}: larger than 2 MB`; continue; }
      const reader = new FileReader();
      reader.onload = () => {
        const image = { mime_type: file.type, data: String(reader.result).split(',')[1] };
        images.push(image);
        const figure = document.createElement('figure');
        const img = document.createElement('img');
        img.src = reader.result;
        img.alt = file.name || 'pasted image';
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.textContent = '×';
        remove.onclick = () => { images.splice(images.indexOf(image), 1); figure.remove(); };
        figure.append(img, remove);
        gallery.append(figure);
      };
      reader.readAsDataURL(file);
    }
  }

  form.querySelector('input[type=file]').addEventListener('change', (e) => addImages(e.target.files));
  textarea.addEventListener('paste', (e) => addImages([...e.clipboardData.files]));
  textarea.addEventListener('dragover', (e) => { e.preventDefault(); textarea.classList.add('drop'); });
  textarea.addEventListener('dragleave', () => textarea.classList.remove('drop'));
  textarea.addEventListener('drop', (e) => { e.preventDefault(); textarea.classList.remove('drop'); addImages(e.dataTransfer.files); });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const response = await fetch(`/api/mcp/feedback/${encodeURIComponent(request.feedback_id)}/answer`, {
        method: 'POST',
        headers: authHeaders({ 'Content-Type': 'application/json' }),
        body: JSON.stringify({ text: textarea.value, images }),
      });
      if (response.status === 401) {
        askForKey();
      }
      if (!response.ok) {
        const problem = await response.json().catch(() => ({}));
        throw new Error(problem.detail || `HTTP ${response.status}`);
      }
      hide(request.feedback_id);
    } catch (err) {
      error.textContent = err.message;
      button.disabled = false;
    }
  });

  shown.set(request.feedback_id, node);
  list.prepend(node);
  refreshEmpty();
}

function hide(id) {
  const node = shown.get(id);
  if (node) { node.remove(); shown.delete(id); }
  refreshEmpty();
}

// A prompt sent from the browser toolbar, shown for a while (as text only).
function showPrompt(prompt) {
  const note = document.createElement('div');
  note.className = 'prompt';
  note.textContent = `Toolbar prompt${prompt.url ? ' from ' + prompt.url : ''}: ${prompt.prompt}`;
  document.querySelector('main').prepend(note);
  setTimeout(() => note.remove(), 60000);
}

let delay = 500;
// Browsers cannot send Authorization on a WebSocket upgrade: with a key, trade it for a ticket first.
async function socketUrl() {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/feedback`;
  if (!token()) return url;
  const response = await fetch('/api/mcp/feedback/socket-ticket', { method: 'POST', headers: authHeaders({}) });
  if (response.status === 401) throw new Error('unauthorized');
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return `${url}?ticket=${encodeURIComponent((await response.json()).ticket)}`;
}

async function connect() {
  let url;
  try {
    url = await socketUrl();
  } catch (err) {
    if (err.message === 'unauthorized') { askForKey(); return; }
    setTimeout(connect, delay);
    delay = Math.min(delay * 2, 10000);
    return;
  }
  const socket = new WebSocket(url);
  socket.onopen = () => { delay = 500; connection.textContent = 'live'; connection.className = 'status online'; };
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.type === 'pending') {
      const ids = new Set(message.items.map((r) => r.feedback_id));
      [...shown.keys()].filter((id) => !ids.has(id)).forEach(hide);
      message.items.slice().reverse().forEach(show);
    } else if (message.type === 'requested') {
      show(message.feedback);
    } else if (message.type === 'answered' || message.type === 'timed_out') {
      hide(message.feedback.feedback_id);
    } else if (message.type === 'prompt') {
      showPrompt(message.prompt);
    }
  };
  socket.onclose = (event) => {
    if (event.code === 1008) {
      connection.textContent = 'not signed in';
      askForKey();
      return;
    }
    connection.textContent = 'reconnecting…';
    connection.className = 'status offline';
    setTimeout(connect, delay);
    delay = Math.min(delay * 2, 10000);
  };
}

refreshEmpty();
connect();
