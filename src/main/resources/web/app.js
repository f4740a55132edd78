// The class, live: renders /state, then follows /events. Every text from the server (IDs, addresses,
// messages) goes into the page through textContent only, never as markup: an ID is a student's input.
'use strict';

// Rows kept on the page per list: more than a projector shows, and few enough that drawing a second's burst
// of IDs under a load test costs the lectern machine little (each new row moves all the rows below it).
const ROWS = 50;
const seen = { seq: -1 };    // the last event /state or the stream gave us
let state = null;            // the last /state or tick, for the counts
let buffered = null;         // events that came while /state was loading
let missing = new Set();

const $ = (id) => document.getElementById(id);

function setText(id, value) {
  const element = $(id);
  if (element.textContent !== String(value)) {
    element.textContent = String(value);
  }
}

// One formatter for every row: toLocaleTimeString() would build a new one each time, which is slow.
const TIME = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
function clock(iso) {
  const d = new Date(iso);
  return isNaN(d) ? '' : TIME.format(d);
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    td.textContent = cell == null ? '' : String(cell);
    tr.appendChild(td);
  }
  return tr;
}

// Each table on the page names its columns once, in data-columns ("time|client|ID"): its head row is
// written from that, so the lists (IDs, problems, senders, datagrams) are built the same way.
for (const table of document.querySelectorAll('table[data-columns]')) {
  const head = table.createTHead().insertRow();
  for (const name of table.dataset.columns.split('|')) {
    head.appendChild(document.createElement('th')).textContent = name;
  }
}

function prepend(tbodyId, tr, fresh) {
  const body = $(tbodyId);
  if (fresh) {
    tr.className = 'fresh';
  }
  body.insertBefore(tr, body.firstChild);
  while (body.childNodes.length > ROWS) {
    body.removeChild(body.lastChild);
  }
}

function clear(id) {
  const element = $(id);
  while (element.firstChild) {
    element.removeChild(element.firstChild);
  }
}

// One event, as --json prints it: added to the lists it belongs to.
function show(event, fresh) {
  switch (event.event) {
    case 'id':
      if (event.id) {
        prepend('ids', row([clock(event.time), event.peer, event.id]), fresh);
        if (missing.delete(event.id)) {
          renderMissing();
        }
      }
      break;
    case 'close': case 'busy': case 'error': case 'no-reply': case 'accept-paused':
      prepend('problems', row([clock(event.time), event.peer, event.text]), fresh);
      break;
    case 'datagram':
      prepend('recent', row([clock(event.time), event.peer, event.message]), fresh);
      break;
    default:
  }
}

// Between two ticks, counts move with the events themselves, so the big number changes at once.
function countLive(event) {
  if (!state) {
    return;
  }
  const counts = state.counts;
  if (event.event === 'id' && event.id) {
    counts.ids++;
  } else if (event.event === 'datagram') {
    counts.datagrams++;
  }
}

function renderCounts() {
  const c = state.counts;
  setText('served', state.expected ? state.expected.total - missing.size : c.ids);
  setText('datagrams', c.datagrams);
  setText('connected', state.connected < 0 ? '–' : state.connected);
  setText('timeouts', c.timeouts);
  setText('resets', c.resets);
  setText('busy', c.busy);
  setText('other', c.otherFailures);
  setText('senders', c.senders);
  setText('dropped', c.dropped);
  const expected = state.expected;
  if (expected) {
    setText('served-label', 'of ' + expected.total + ' students on the class list');
    setText('progress', c.ids + (c.ids === 1 ? ' ID' : ' IDs') + ' received'
      + (expected.notOnTheList ? ', ' + expected.notOnTheList + ' not on the list' : ''));
  }
  const rates = state.rates;
  setText('rate', rates.length ? rates[rates.length - 1] : 0);
  const web = state.web;
  setText('web-note', 'The lists show the last ' + Math.min(ROWS, web.keptIds) + ' IDs and the last '
    + Math.min(ROWS, web.keptProblems) + ' problems; the counts cover everything since ' + clock(state.started) + '.'
    + (web.notStreamed ? ' Busy: ' + web.notStreamed + ' events were counted but not listed one by one.' : '')
    + (web.eventsLost ? ' ' + web.eventsLost + ' events came faster than this page could count them.' : ''));
}

let missingShown = null;
function renderMissing() {
  const box = $('missing-box');
  box.hidden = !state || !state.expected;
  const key = Array.from(missing).join('\n');
  if (box.hidden || key === missingShown) {
    return;
  }
  missingShown = key;
  clear('missing');
  for (const id of missing) {
    const li = document.createElement('li');
    li.textContent = id;
    $('missing').appendChild(li);
  }
  setText('missing-count', '(' + missing.size + ')');
  renderCounts();
}

function renderSenders() {
  clear('sender-rows');
  for (const sender of state.topSenders) {
    $('sender-rows').appendChild(row([sender.peer, sender.datagrams, sender.dropped]));
  }
}

// The chart: one point per second over the last five minutes, drawn as SVG elements (no markup strings).
const SVG = 'http://www.w3.org/2000/svg';
function renderChart() {
  const svg = $('chart');
  const rates = state.rates;
  const top = Math.max(1, ...rates);
  clear('chart');
  const line = document.createElementNS(SVG, 'polyline');
  const points = [];
  for (let i = 0; i < rates.length; i++) {
    const x = (i / Math.max(1, rates.length - 1)) * 600;
    const y = 115 - (rates[i] / top) * 100;
    points.push(x.toFixed(1) + ',' + y.toFixed(1));
  }
  line.setAttribute('points', points.join(' '));
  svg.appendChild(line);
  const label = document.createElementNS(SVG, 'text');
  label.setAttribute('x', '4');
  label.setAttribute('y', '12');
  label.textContent = 'max ' + top + '/s';
  svg.appendChild(label);
  const now = document.createElementNS(SVG, 'text');
  now.setAttribute('x', '596');
  now.setAttribute('y', '12');
  now.setAttribute('text-anchor', 'end');
  now.textContent = 'now';
  svg.appendChild(now);
}

function renderAll() {
  renderCounts();
  renderMissing();
  renderSenders();
  renderChart();
}

function applyState(snapshot) {
  state = snapshot;
  seen.seq = snapshot.seq;
  const server = snapshot.server;
  document.body.className = server.startsWith('tcp') ? 'tcp' : server.startsWith('udp') ? 'udp' : '';
  setText('server', server);
  setText('rate-label', server.startsWith('udp') ? 'datagrams/s' : 'conversations/s');
  setText('chart-title', (server.startsWith('udp') ? 'Datagrams' : 'Conversations') + ' per second, last 5 minutes');
  missing = new Set(snapshot.expected ? snapshot.expected.missing : []);
  for (const id of ['ids', 'problems', 'recent']) {
    clear(id);
  }
  for (const event of snapshot.ids) show(event, false);
  for (const event of snapshot.problems) show(event, false);
  for (const event of snapshot.recent) {
    if (event.event === 'datagram') show(event, false);
  }
  renderAll();
}

// Tick: the server's own counts each second, which also correct anything this page missed.
function applyTick(tick) {
  state = tick;
  missing = new Set(tick.expected ? tick.expected.missing : []);
  renderAll();
}

// Events are drawn at once when they come one by one, and in batches, at most every BATCH_MS, when they
// come quicker: under a load test drawing each alone would cost the lectern machine (where the server
// runs too) far more CPU.
const BATCH_MS = 20;
let pending = [];
let drawing = false;
let lastDraw = 0;

function onEvent(message) {
  const seq = Number(message.lastEventId);
  if (buffered) {
    buffered.push([seq, message.data]);
    return;
  }
  if (seq <= seen.seq) {
    return;
  }
  seen.seq = seq;
  pending.push(JSON.parse(message.data));
  if (pending.length > ROWS * 3) {
    pending = pending.slice(-ROWS * 3);   // a page in the background: the ticks keep the counts right
  }
  if (!drawing) {
    drawing = true;
    setTimeout(drawPending, Math.max(0, lastDraw + BATCH_MS - performance.now()));
  }
}

function drawPending() {
  const events = pending;
  pending = [];
  drawing = false;
  lastDraw = performance.now();
  // The newest rows are highlighted until the next ones come (a still highlight, not an animation:
  // under load an animation would repaint the page sixty times a second).
  for (const row of document.querySelectorAll('tr.fresh')) {
    row.className = '';
  }
  const fresh = events.length <= 10;
  for (const event of events) {
    show(event, fresh);
    countLive(event);
  }
  if (state) {
    renderCounts();
  }
}

// Each time the stream (re)opens, start again from /state: a page opened late, or dropped for falling
// behind, shows everything since the start, then the events after it.
function resync() {
  buffered = [];
  fetch('/state', { cache: 'no-store' })
    .then((response) => response.json())
    .then((snapshot) => {
      applyState(snapshot);
      const pending = buffered;
      buffered = null;
      for (const [seq, data] of pending) {
        onEvent({ lastEventId: String(seq), data: data });
      }
    })
    .catch(() => { buffered = null; });
}

function setStatus(text, kind) {
  const status = $('status');
  status.textContent = text;
  status.className = 'status ' + kind;
}

function connect() {
  const stream = new EventSource('/events');
  stream.onopen = () => {
    setStatus('live', 'live');
    resync();
  };
  stream.onmessage = onEvent;
  stream.addEventListener('tick', (message) => {
    if (!buffered) {
      applyTick(JSON.parse(message.data));
    }
  });
  stream.onerror = () => {
    if (stream.readyState === EventSource.CLOSED) {
      // refused (503: too many pages open) or the server is gone: try again in a while
      setStatus('reconnecting…', 'down');
      setTimeout(connect, 5000);
    } else {
      setStatus('reconnecting…', 'down');
    }
  };
}

connect();
