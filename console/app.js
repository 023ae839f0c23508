// intent-pipeline admin console: plain modules, no framework, nothing loaded from another site.
// Pages are rendered from the HTTP API's JSON; the Review page is keyboard first (docs/CONSOLE.md).
import { api, ApiError, configure, signedInAs } from './api.js';
import { Outbox } from './outbox.js';
import { lineChart, barChart } from './charts.js';
import { el, clear, fmt, pct, when, announce } from './dom.js';

const main = document.getElementById('main');
const outbox = new Outbox(document.getElementById('outbox'));
/** Measurements the browser benchmark reads (docs/CONSOLE.md, "Figures"). */
const metrics = (window.__console = { reviewFirstPaintMs: null, corrections: [] });

const pages = { review, errors, dashboard, intents, training, models, dataset };
let leave = () => {};
let knownIntents = [];

async function route() {
  leave();
  leave = () => {};
  const name = (location.hash.replace(/^#\/?/, '').split('?')[0] || 'review');
  const page = pages[name] ? name : 'review';
  document.querySelectorAll('nav a').forEach(a => {
    if (a.dataset.page === page) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  clear(main);
  main.dataset.page = page;
  delete main.dataset.ready;
  try {
    await pages[page]();
  } catch (e) {
    main.append(el('p', { class: 'banner error', role: 'alert' }, 'Could not load this page: ' + describe(e)));
  }
  main.dataset.ready = 'true';
  document.title = page[0].toUpperCase() + page.slice(1) + ' · intent-pipeline console';
}

function describe(e) {
  if (e instanceof ApiError) return e.message + (e.field ? ' (field ' + e.field + ')' : '') + ' [' + e.status + ']';
  return e && e.message ? e.message : String(e);
}

function heading(text) {
  const h = el('h1', { tabindex: '-1' }, text);
  main.append(h);
  return h;
}

async function loadIntents() {
  try {
    const stats = await api('/ai/training/dataset/stats');
    const names = new Set();
    const dist = stats.intent_distribution || stats.intents || {};
    if (Array.isArray(dist)) dist.forEach(d => names.add(d.intent || d.name));
    else Object.keys(dist).forEach(k => names.add(k));
    names.add('out_of_scope');
    knownIntents = [...names].filter(Boolean).sort();
  } catch (e) {
    knownIntents = ['out_of_scope'];
  }
  return knownIntents;
}

// ------------------------------------------------------------------------------------------------
// Review
// ------------------------------------------------------------------------------------------------
async function review() {
  const opened = performance.now();
  heading('Review queue');
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const filters = el('form', { class: 'filters', id: 'filters', 'aria-label': 'Filters' });
  const field = (label, input) => el('div', {}, el('label', { for: input.id }, label), input);
  const intentIn = el('input', { id: 'f-intent', name: 'intent', list: 'intent-list', value: params.get('intent') || '', autocomplete: 'off' });
  const minIn = el('input', { id: 'f-min', name: 'min_confidence', type: 'number', min: '0', max: '100', value: params.get('min_confidence') || '' });
  const maxIn = el('input', { id: 'f-max', name: 'max_confidence', type: 'number', min: '0', max: '100', value: params.get('max_confidence') || '' });
  const fromIn = el('input', { id: 'f-from', name: 'from', type: 'date', value: params.get('from') || '' });
  const toIn = el('input', { id: 'f-to', name: 'to', type: 'date', value: params.get('to') || '' });
  const reasonIn = el('select', { id: 'f-reason', name: 'reason' },
    el('option', { value: '' }, 'any'), el('option', { value: 'audit' }, 'audit sample'),
    el('option', { value: 'priority' }, 'low confidence (priority)'));
  reasonIn.value = params.get('reason') || '';
  const orderIn = el('select', { id: 'f-order', name: 'order' },
    el('option', { value: '' }, 'system order'), el('option', { value: 'lowest_confidence' }, 'lowest confidence'),
    el('option', { value: 'smallest_margin' }, 'smallest margin'), el('option', { value: 'diverse' }, 'diverse'));
  orderIn.value = params.get('order') || '';
  const bulkIn = el('input', { id: 'f-bulk', type: 'number', min: '0', max: '100', value: params.get('bulk') || '80' });
  filters.append(field('Intent', intentIn), field('Min confidence', minIn), field('Max confidence', maxIn),
    field('From (date)', fromIn), field('To (date)', toIn), field('Reason', reasonIn), field('Order', orderIn),
    el('button', { type: 'submit' }, 'Apply'),
    field('Bulk-confirm at confidence ≥', bulkIn),
    el('button', { type: 'button', class: 'secondary', id: 'bulk-confirm' }, 'Bulk-confirm (B)'));
  main.append(filters);
  const datalist = el('datalist', { id: 'intent-list' });
  main.append(datalist);
  const counter = el('p', { class: 'muted', id: 'queue-count', 'aria-live': 'polite' });
  main.append(counter);
  const layout = el('div', { class: 'review' });
  const list = el('ul', { class: 'queue', id: 'queue', role: 'listbox', 'aria-label': 'Samples waiting for review', tabindex: '0' });
  const detail = el('section', { class: 'detail', id: 'detail', 'aria-label': 'Selected sample' });
  layout.append(list, detail);
  main.append(layout);

  const state = { items: [], index: 0, cursor: null, loading: false, undo: [], searching: false };

  function query() {
    const q = new URLSearchParams();
    q.set('limit', '50');
    if (intentIn.value.trim()) q.set('intent', intentIn.value.trim());
    if (minIn.value !== '') q.set('min_confidence', minIn.value);
    if (maxIn.value !== '') q.set('max_confidence', maxIn.value);
    if (fromIn.value) q.set('from', fromIn.value + 'T00:00:00Z');
    if (toIn.value) q.set('to', toIn.value + 'T00:00:00Z');
    if (reasonIn.value) q.set('reason', reasonIn.value);
    if (orderIn.value) q.set('order', orderIn.value);
    return q;
  }

  async function load(more) {
    if (state.loading) return;
    state.loading = true;
    try {
      const q = query();
      if (more && state.cursor) q.set('cursor', state.cursor);
      const page = await api('/ai/training/pending-review?' + q);
      const pendingIds = new Set(outbox.pendingIds());
      const fresh = page.items.filter(s => !pendingIds.has(s.id) && !state.items.some(i => i.id === s.id));
      state.items = more ? state.items.concat(fresh) : fresh;
      state.cursor = page.next_cursor || null;
      if (!more) state.index = 0;
      render();
      if (!more && metrics.reviewFirstPaintMs === null) {
        metrics.reviewFirstPaintMs = performance.now() - opened;
        // Since the navigation started (the page's own load included).
        metrics.reviewShownSinceNavigationMs = performance.now();
      }
      main.dataset.loaded = 'true';
    } catch (e) {
      counter.textContent = '';
      list.replaceChildren(el('li', { class: 'error-text', role: 'option', 'aria-selected': 'false' }, 'Could not load the queue: ' + describe(e)));
    } finally {
      state.loading = false;
    }
  }

  function render() {
    counter.textContent = state.items.length === 0
      ? 'Nothing waiting for review with these filters.'
      : state.items.length + ' sample(s) shown' + (state.cursor ? ' (more below)' : '') + '. Sample ' + (state.index + 1) + ' selected.';
    list.replaceChildren(...state.items.map((s, i) => {
      const li = el('li', {
        role: 'option', id: 'sample-' + s.id, 'data-id': s.id,
        'aria-selected': String(i === state.index),
      },
      el('span', { class: 'pos' }, String(i + 1)),
      el('span', { class: 'msg' }, s.user_message),
      el('span', {}, el('span', { class: 'tag' + (s.confidence_score < 50 ? ' low' : '') }, s.confidence_score + '%'),
        s.review_reason === 'audit' ? el('span', { class: 'tag audit' }, 'audit') : ''));
      li.addEventListener('click', () => { state.index = i; render(); list.focus(); });
      return li;
    }));
    if (state.items.length) list.setAttribute('aria-activedescendant', 'sample-' + state.items[state.index].id);
    else list.removeAttribute('aria-activedescendant');
    const selected = list.querySelector('[aria-selected="true"]');
    if (selected) {
      // Scroll the list only, never the page.
      if (selected.offsetTop < list.scrollTop) list.scrollTop = selected.offsetTop;
      else if (selected.offsetTop + selected.offsetHeight > list.scrollTop + list.clientHeight) {
        list.scrollTop = selected.offsetTop + selected.offsetHeight - list.clientHeight;
      }
    }
    renderDetail();
  }

  function choicesOf(s) {
    const out = [];
    const top = Array.isArray(s.top_intents) ? s.top_intents
      : (s.rescored && Array.isArray(s.rescored.top_intents) ? s.rescored.top_intents : []);
    top.forEach(t => {
      const name = typeof t === 'string' ? t : (t.intent || t.name);
      const score = typeof t === 'object' ? (t.confidence ?? t.score ?? t.probability) : null;
      if (name && !out.some(o => o.intent === name)) out.push({ intent: name, score });
    });
    if (!out.some(o => o.intent === s.detected_intent)) out.unshift({ intent: s.detected_intent, score: s.confidence_score });
    return out.slice(0, 9);
  }

  function renderDetail() {
    const s = state.items[state.index];
    if (!s) {
      detail.replaceChildren(el('p', { class: 'muted' }, 'Select a sample. Press ? for the keys.'));
      return;
    }
    const choices = el('ol', { class: 'choices', 'aria-label': 'Correct intent: the top intents' });
    choicesOf(s).forEach((c, i) => {
      const b = el('button', { type: 'button', class: c.intent === s.detected_intent ? 'bot' : '', 'data-intent': c.intent },
        el('span', {}, el('kbd', {}, String(i + 1)), ' ', c.intent, c.intent === s.detected_intent ? ' (bot)' : ''),
        el('span', { class: 'muted' }, c.score == null ? '' : fmtScore(c.score)));
      b.addEventListener('click', () => correct(c.intent));
      choices.append(el('li', {}, b));
    });
    const search = el('input', { id: 'intent-search', list: 'intent-list', autocomplete: 'off', placeholder: 'type an intent, Enter' });
    search.addEventListener('keydown', e => {
      if (e.key === 'Enter') {
        e.preventDefault();
        const value = search.value.trim();
        if (!value) return;
        if (!knownIntents.includes(value) && !confirm('Create the new intent "' + value + '"?')) return;
        if (!knownIntents.includes(value)) { knownIntents.push(value); knownIntents.sort(); fillDatalist(); }
        correct(value);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        list.focus();
      }
    });
    const answer = el('textarea', { id: 'correct-response', rows: '2' });
    const notes = el('textarea', { id: 'notes', rows: '2' });
    const escalate = el('input', { id: 'should-escalate', type: 'checkbox' });
    [answer, notes, escalate].forEach(x => x.addEventListener('keydown', e => {
      if (e.key === 'Escape') { e.preventDefault(); list.focus(); }
    }));
    const confirmButton = el('button', { type: 'button', id: 'confirm-bot' }, 'The bot was right (y)');
    confirmButton.addEventListener('click', () => correct(s.detected_intent));
    detail.replaceChildren(
      el('h2', {}, 'Sample ' + (state.index + 1) + ' of ' + state.items.length),
      el('p', { class: 'muted' }, when(s.occurred_at), ' · ', s.review_reason === 'audit' ? 'audit sample' : 'low confidence',
        s.escalated ? ' · escalated' : '', s.category ? ' · ' + s.category : ''),
      el('h3', { class: 'visually-hidden' }, 'Message'),
      el('blockquote', { id: 'sample-message' }, s.user_message),
      el('p', {}, 'Bot detected ', el('strong', { id: 'sample-detected' }, s.detected_intent), ' at ',
        el('strong', {}, s.confidence_score + '%'),
        s.rescored ? el('span', { class: 'muted' }, ' (model ' + s.rescored.model_version + ' now says ' + s.rescored.intent + ' ' + s.rescored.confidence_score + '%)') : ''),
      s.ai_response ? el('p', {}, el('span', { class: 'muted' }, 'Bot answered: '), s.ai_response) : '',
      el('div', { class: 'row' }, confirmButton),
      choices,
      el('div', { class: 'field' }, el('label', { for: 'intent-search' }, 'Another intent or a new one (/)'), search),
      el('div', { class: 'field' }, el('label', { for: 'correct-response' }, 'Corrected answer (a)'), answer),
      el('div', { class: 'field' }, el('label', { for: 'notes' }, 'Notes'), notes),
      el('div', { class: 'row' }, escalate, el('label', { for: 'should-escalate' }, 'Should have gone to a human')));
  }

  function fmtScore(v) {
    const n = Number(v);
    return n <= 1 ? Math.round(n * 100) + '%' : Math.round(n) + '%';
  }

  function extras() {
    const body = {};
    const answer = document.getElementById('correct-response');
    const notes = document.getElementById('notes');
    const escalate = document.getElementById('should-escalate');
    if (answer && answer.value.trim()) body.correct_response = answer.value.trim();
    if (notes && notes.value.trim()) body.notes = notes.value.trim();
    if (escalate && escalate.checked) body.should_escalate = true;
    return body;
  }

  function correct(intent, sample) {
    const s = sample || state.items[state.index];
    if (!s) return;
    const started = performance.now();
    const body = Object.assign({ training_data_id: s.id, correct_intent: intent }, sample ? {} : extras());
    const position = state.items.indexOf(s);
    state.items.splice(position, 1);
    // What u needs: the sample and where it was; once recorded, the correction's id (to undo it).
    const entry = { sample: s, position, sent: false, correctionId: null, undoWanted: false };
    state.undo.push(entry);
    if (state.index >= state.items.length) state.index = Math.max(0, state.items.length - 1);
    render();
    list.focus();
    announce((intent === s.detected_intent ? 'Confirmed ' : 'Corrected to ') + intent);
    outbox.send(body, {
      label: '"' + s.user_message.slice(0, 40) + '" → ' + intent,
      onDone: (answer) => {
        metrics.corrections.push(performance.now() - started);
        entry.sent = true;
        // A duplicate changed nothing: the row already had this correction before this choice.
        entry.correctionId = answer && !answer.duplicate ? answer.correction_id : null;
        if (entry.undoWanted) undoRecorded(entry);
      },
      onRefused: (e) => {
        const at = state.undo.indexOf(entry);
        if (at >= 0) state.undo.splice(at, 1);
        state.items.splice(Math.min(position, state.items.length), 0, s);
        render();
        announce('Refused: ' + describe(e));
      },
    });
    if (state.items.length < 10 && state.cursor) load(true);
    else if (state.items.length === 0) load(false);
  }

  // u: the last choice undone. Not sent yet: dropped from the outbox. Already recorded: undone on
  // the server (POST /ai/training/correction/undo puts the row back as it was). On its way: undone
  // as soon as the server has recorded it. Then the sample is back in the queue.
  function undo() {
    const last = state.undo.pop();
    if (!last) { announce('Nothing to undo'); return; }
    if (outbox.cancel(last.sample.id)) {
      putBack(last, 'Undone (it had not been sent)');
    } else if (last.sent) {
      undoRecorded(last);
    } else {
      last.undoWanted = true;
      announce('Undoing once the server has recorded it…');
    }
  }

  async function undoRecorded(entry) {
    if (!entry.correctionId) {
      // The server answered "duplicate": the sample had this very correction before this choice.
      putBack(entry, 'Back (that correction was already recorded before; your next choice replaces it)');
      return;
    }
    try {
      await api('/ai/training/correction/undo', { method: 'POST', body: { correction_id: entry.correctionId } });
    } catch (e) {
      // Refused (409: e.g. a training run used the sample since) or failed: the correction stands;
      // a failure can be tried again with u.
      if (e.transient) state.undo.push(entry);
      announce('Could not undo: ' + describe(e) + (e.transient ? ' (press u to try again)' : ''));
      return;
    }
    putBack(entry, 'Undone');
  }

  function putBack(entry, said) {
    if (!state.items.includes(entry.sample)) {
      state.items.splice(Math.min(entry.position, state.items.length), 0, entry.sample);
    }
    state.index = state.items.indexOf(entry.sample);
    render();
    list.focus();
    announce(said + ': "' + entry.sample.user_message.slice(0, 60) + '" is back in the queue.');
  }

  function bulk() {
    const threshold = Number(bulkIn.value || 80);
    const obvious = state.items.filter(s => s.confidence_score >= threshold);
    if (!obvious.length) { announce('No sample shown at or above ' + threshold + '%'); return; }
    if (!confirm('Confirm the bot\'s intent for the ' + obvious.length + ' sample(s) shown at or above ' + threshold + '% confidence?')) return;
    obvious.forEach(s => correct(s.detected_intent, s));
  }

  function fillDatalist() {
    datalist.replaceChildren(...knownIntents.map(n => el('option', { value: n })));
  }

  filters.addEventListener('submit', e => {
    e.preventDefault();
    const q = query();
    q.delete('limit');
    history.replaceState(null, '', '#/review' + (q.toString() ? '?' + q : ''));
    load(false);
    list.focus();
  });
  document.getElementById('bulk-confirm').addEventListener('click', bulk);

  const onKey = e => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return;
    if (document.querySelector('dialog[open]')) return;
    const k = e.key;
    const s = state.items[state.index];
    if (k === 'j' || k === 'ArrowDown') { state.index = Math.min(state.index + 1, state.items.length - 1); render(); if (state.index >= state.items.length - 5 && state.cursor) load(true); }
    else if (k === 'k' || k === 'ArrowUp') { state.index = Math.max(state.index - 1, 0); render(); }
    else if ((k === 'y' || k === 'Enter') && s && (t === list || t === document.body || t === main)) correct(s.detected_intent);
    else if (k === 'y' && s) correct(s.detected_intent);
    else if (/^[1-9]$/.test(k) && s) { const c = choicesOf(s)[Number(k) - 1]; if (c) correct(c.intent); else return; }
    else if (k === 'o' && s) correct('out_of_scope');
    else if (k === '/') { const x = document.getElementById('intent-search'); if (x) x.focus(); }
    else if (k === 'a') { const x = document.getElementById('correct-response'); if (x) x.focus(); }
    else if (k === 'u') undo();
    else if (k === 'B') bulk();
    else if (k === 'f') intentIn.focus();
    else if (k === 'r') load(false);
    else return;
    e.preventDefault();
  };
  document.addEventListener('keydown', onKey);
  leave = () => document.removeEventListener('keydown', onKey);

  const loading = load(false);
  loadIntents().then(fillDatalist);
  await loading;
  list.focus();
}

// ------------------------------------------------------------------------------------------------
// Errors
// ------------------------------------------------------------------------------------------------
async function errors() {
  heading('Classification errors');
  main.append(el('p', { class: 'muted' }, 'Reviewed samples whose detected intent was wrong, grouped by confusion (detected → correct), newest 1,000 at most.'));
  const items = [];
  let cursor = null;
  for (let i = 0; i < 5; i++) {
    const page = await api('/ai/training/errors?limit=200' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    items.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  const groups = new Map();
  items.forEach(x => {
    const key = x.detected_intent + ' → ' + x.correct_intent;
    if (!groups.has(key)) groups.set(key, { detected: x.detected_intent, correct: x.correct_intent, items: [] });
    groups.get(key).items.push(x);
  });
  const sorted = [...groups.values()].sort((a, b) => b.items.length - a.items.length);
  main.append(el('p', { id: 'errors-total' }, items.length + ' error(s) in ' + sorted.length + ' confusion(s)' + (cursor ? ' (more exist)' : '') + '.'));
  const table = el('table', { class: 'data', id: 'confusions' },
    el('caption', { class: 'visually-hidden' }, 'Confusions with counts'),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Detected'), el('th', { scope: 'col' }, 'Correct'),
      el('th', { scope: 'col', class: 'num' }, 'Count'), el('th', { scope: 'col' }, 'Examples'))));
  const body = el('tbody');
  sorted.forEach(g => body.append(el('tr', { 'data-confusion': g.detected + '->' + g.correct },
    el('td', {}, g.detected), el('td', {}, g.correct), el('td', { class: 'num' }, String(g.items.length)),
    el('td', {}, el('details', {}, el('summary', {}, g.items.length + ' message(s)'),
      el('ul', {}, ...g.items.slice(0, 10).map(x => el('li', {}, x.user_message, ' ', el('span', { class: 'muted' }, when(x.corrected_at))))))))));
  table.append(body);
  main.append(table);
}

// ------------------------------------------------------------------------------------------------
// Dashboard
// ------------------------------------------------------------------------------------------------
async function dashboard() {
  heading('Dashboard');
  const params = new URLSearchParams(location.hash.split('?')[1] || '');
  const hours = params.get('hours') || '24';
  const windowSel = el('select', { id: 'window' },
    ...[['1', 'last hour'], ['24', 'last 24 hours'], ['168', 'last 7 days'], ['720', 'last 30 days']]
      .map(([v, t]) => el('option', { value: v }, t)));
  windowSel.value = hours;
  windowSel.addEventListener('change', () => { location.hash = '#/dashboard?hours=' + windowSel.value; });
  main.append(el('div', { class: 'row' }, el('label', { for: 'window' }, 'Window'), windowSel));
  const [live, stats, hist] = await Promise.all([
    api('/ai/training/metrics?hours=' + encodeURIComponent(hours)),
    api('/ai/training/stats').catch(e => ({ error: describe(e) })),
    api('/ai/training/metrics/history?limit=200').catch(() => ({ items: [] })),
  ]);
  const alerts = el('div', { id: 'alerts', role: 'region', 'aria-label': 'Alerts' });
  (live.alerts || []).forEach(a => alerts.append(el('p', { class: 'banner warning', role: 'alert' },
    el('strong', {}, a.metric + ': '), a.message, a.action ? ' — ' + a.action : '')));
  main.append(alerts);
  const card = (label, value, id) => el('div', { class: 'card', id }, el('div', { class: 'value' }, value), el('div', { class: 'label' }, label));
  main.append(el('h2', {}, 'Metrics, ' + windowSel.selectedOptions[0].textContent));
  main.append(el('div', { class: 'cards', id: 'metric-cards' },
    card('messages', fmt(live.total_messages), 'm-messages'),
    card('AI-resolved', fmt(live.ai_resolved), 'm-resolved'),
    card('escalation rate', pct(live.escalation_rate), 'm-escalation'),
    card('average confidence', fmt(live.avg_confidence), 'm-confidence'),
    card('intent accuracy (reviewed)', pct(live.intent_accuracy), 'm-accuracy'),
    card('live accuracy (audit)', live.live_accuracy && live.live_accuracy.estimate != null ? Math.round(live.live_accuracy.estimate * 1000) / 10 + '%' : '—', 'm-live'),
    card('correction rate', pct(live.correction_rate), 'm-correction'),
    card('reviewed', fmt(live.reviewed), 'm-reviewed'),
    card('misclassified', fmt(live.misclassified), 'm-misclassified')));
  const topTable = (title, rows, cols, id) => {
    const t = el('table', { class: 'data', id }, el('caption', {}, title),
      el('thead', {}, el('tr', {}, ...cols.map(c => el('th', { scope: 'col', class: c.num ? 'num' : '' }, c.label)))));
    const b = el('tbody');
    (rows || []).forEach(r => b.append(el('tr', {}, ...cols.map(c => el('td', { class: c.num ? 'num' : '' }, String(r[c.key] ?? ''))))));
    if (!rows || !rows.length) b.append(el('tr', {}, el('td', { colspan: String(cols.length), class: 'muted' }, 'none')));
    t.append(b);
    return t;
  };
  main.append(el('div', { class: 'charts' },
    topTable('Top intents', Array.isArray(live.top_intents) ? live.top_intents
      : Object.entries(live.top_intents || {}).map(([intent, count]) => ({ intent, count })).sort((a, b) => b.count - a.count), [{ key: 'intent', label: 'Intent' }, { key: 'count', label: 'Messages', num: true }], 'top-intents'),
    topTable('Top misclassified', live.top_misclassified, [{ key: 'detected_intent', label: 'Detected' }, { key: 'correct_intent', label: 'Correct' }, { key: 'count', label: 'Count', num: true }], 'top-misclassified')));

  main.append(el('h2', {}, 'Pipeline'));
  if (stats.error) {
    main.append(el('p', { class: 'banner error' }, 'Pipeline state unavailable: ' + stats.error));
  } else {
    const share = Math.min(1, stats.samples_since_last_train / stats.retrain_threshold);
    main.append(el('div', { class: 'cards', id: 'pipeline-state' },
      el('div', { class: 'card', id: 'p-since' },
        el('div', { class: 'value' }, fmt(stats.samples_since_last_train) + (stats.samples_since_last_train_capped ? '+' : '') + ' / ' + fmt(stats.retrain_threshold)),
        el('div', { class: 'label' }, 'samples since the last training / retrain threshold'),
        el('div', { class: 'progress', role: 'progressbar', 'aria-label': 'Samples toward the retrain threshold', 'aria-valuemin': '0', 'aria-valuemax': String(stats.retrain_threshold), 'aria-valuenow': String(Math.min(stats.samples_since_last_train, stats.retrain_threshold)) },
          el('span', { style: '' }))),
      card('messages waiting in the queue', stats.queue && stats.queue.waiting != null ? fmt(stats.queue.waiting) + (stats.queue.in_flight ? ' (+' + stats.queue.in_flight + ' in flight)' : '') : (stats.queue && stats.queue.error) || '—', 'p-queue'),
      card('last flush stored a sample', when(stats.last_flush_at) || 'never', 'p-flush'),
      card('run in progress', stats.run_in_progress ? stats.run_in_progress.run_name + ' since ' + when(stats.run_in_progress.started_at) : 'none', 'p-run'),
      card('last completed run started', when(stats.last_completed_run_started_at) || 'never', 'p-last-run')));
    const bar = main.querySelector('#p-since .progress > span');
    bar.style.width = Math.round(share * 100) + '%';
  }

  main.append(el('h2', {}, 'History (snapshots)'));
  const snaps = (hist.items || []).slice().sort((a, b) => a.period_start.localeCompare(b.period_start));
  if (!snaps.length) {
    main.append(el('p', { class: 'muted' }, 'No snapshot yet (the schedules take one hourly and daily; POST /ai/training/snapshot takes one now).'));
  } else {
    const series = (key, scale) => snaps.map(s => ({ x: s.period_start, y: s[key] == null ? null : Number(s[key]) * (scale || 1) }));
    main.append(el('div', { class: 'charts', id: 'history-charts' },
      lineChart('Messages per snapshot period', series('total_messages')),
      lineChart('Intent accuracy (%)', series('intent_accuracy')),
      lineChart('Escalation rate (%)', series('escalation_rate')),
      lineChart('Average confidence', series('avg_confidence'))));
  }
}

// ------------------------------------------------------------------------------------------------
// Intents
// ------------------------------------------------------------------------------------------------
async function intents() {
  heading('Intent performance');
  const [data, stats] = await Promise.all([api('/ai/training/intent-performance'),
    api('/ai/training/dataset/stats').catch(() => ({ intents: [] }))]);
  const samples = new Map((stats.intents || []).map(i => [i.intent, i]));
  const rows = (data.intents || []).map(r => ({
    intent: r.intent,
    samples: samples.has(r.intent) ? samples.get(r.intent).samples : null,
    corrected: samples.has(r.intent) ? samples.get(r.intent).corrected : null,
    reviewed: r.reviewed,
    accuracy: r.reviewed ? r.accuracy : null,
    support: r.support,
    f1: r.f1, precision: r.precision, recall: r.recall,
  }));
  if (data.run) main.append(el('p', { class: 'muted' }, 'Precision, recall and F1: run ' + data.run.run_name + ' (model ' + data.run.model_version + ') on its test split; reviewed accuracy: the human-reviewed samples of each detected intent.'));
  const cols = [
    { key: 'intent', label: 'Intent' }, { key: 'samples', label: 'Samples', num: true },
    { key: 'corrected', label: 'Corrected', num: true }, { key: 'support', label: 'Test support', num: true },
    { key: 'reviewed', label: 'Reviewed', num: true }, { key: 'accuracy', label: 'Reviewed accuracy', num: true, f: ratio },
    { key: 'precision', label: 'Precision', num: true, f: ratio }, { key: 'recall', label: 'Recall', num: true, f: ratio },
    { key: 'f1', label: 'Last run F1', num: true, f: ratio }];
  sortableTable(rows, cols, 'intents-table', 'Per-intent performance; activate a column header to sort');
}

function ratio(v) {
  if (v == null || v === '') return '—';
  const n = Number(v);
  return (n <= 1 ? Math.round(n * 1000) / 10 : Math.round(n * 10) / 10) + '%';
}

function sortableTable(rows, cols, id, caption) {
  let sortKey = cols[0].key;
  let asc = true;
  const table = el('table', { class: 'data', id });
  const draw = () => {
    const sorted = rows.slice().sort((a, b) => {
      const x = a[sortKey]; const y = b[sortKey];
      const c = (x == null) - (y == null) || (typeof x === 'number' || typeof y === 'number' ? (x ?? 0) - (y ?? 0) : String(x).localeCompare(String(y)));
      return asc ? c : -c;
    });
    table.replaceChildren(el('caption', {}, caption),
      el('thead', {}, el('tr', {}, ...cols.map(c => {
        const b = el('button', { type: 'button' }, c.label);
        b.addEventListener('click', () => { if (sortKey === c.key) asc = !asc; else { sortKey = c.key; asc = c.key === 'intent'; } draw(); table.querySelector('th[aria-sort] button').focus(); });
        const th = el('th', { scope: 'col', class: c.num ? 'num' : '' }, b);
        if (c.key === sortKey) th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        return th;
      }))),
      el('tbody', {}, ...sorted.map(r => el('tr', {}, ...cols.map(c => el('td', { class: c.num ? 'num' : '' }, c.f ? c.f(r[c.key]) : String(r[c.key] ?? '—')))))));
  };
  draw();
  main.append(table);
}

// ------------------------------------------------------------------------------------------------
// Training
// ------------------------------------------------------------------------------------------------
async function training() {
  heading('Training runs');
  const form = el('form', { class: 'filters', id: 'start-run', 'aria-label': 'Start a run' });
  const type = el('select', { id: 'run-type' }, el('option', { value: 'full' }, 'full'), el('option', { value: 'incremental' }, 'incremental'));
  const name = el('input', { id: 'run-name', maxlength: '200', autocomplete: 'off' });
  form.append(el('div', {}, el('label', { for: 'run-type' }, 'Run type'), type),
    el('div', {}, el('label', { for: 'run-name' }, 'Run name (optional)'), name),
    el('button', { type: 'submit' }, 'Start a run'));
  const status = el('p', { id: 'run-status', role: 'status' });
  main.append(form, status);
  const tableHolder = el('div', { id: 'runs' });
  main.append(tableHolder);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const body = { run_type: type.value };
    if (name.value.trim()) body.run_name = name.value.trim();
    try {
      const r = await api('/ai/training/run', { method: 'POST', body });
      watched = r.run_id;
      status.textContent = 'Queued: ' + r.run_name + ' (' + r.run_id + ').';
      status.className = 'ok-text';
    } catch (err) {
      status.textContent = err.status === 409 ? 'A run is in progress; try again when it has finished.' : 'Not started: ' + describe(err);
      status.className = 'error-text';
    }
    refresh();
  });
  let timer = null;
  let watched = null;
  async function refresh() {
    const page = await api('/ai/training/runs?limit=50');
    const running = page.items.some(r => r.status === 'running')
      || (watched !== null && !page.items.some(r => r.id === watched && r.status !== 'running'));
    const table = el('table', { class: 'data', id: 'runs-table' }, el('caption', {}, 'Runs, newest first' + (running ? ' (one in progress: refreshing every 3 s)' : '')),
      el('thead', {}, el('tr', {}, ...['Run', 'Type', 'Status', 'Started', 'Training samples', 'F1', 'Baseline F1', 'Deployed', 'Reason / error', 'Report']
        .map(h => el('th', { scope: 'col' }, h)))));
    const tb = el('tbody');
    page.items.forEach(r => {
      const reportCell = el('td');
      if (r.report_file_path) {
        const b = el('button', { type: 'button', class: 'secondary', 'data-run': r.id }, 'Report');
        b.setAttribute('aria-label', 'Report of ' + r.run_name);
        b.addEventListener('click', async () => {
          try {
            const u = await api('/ai/training/runs/report?run_id=' + encodeURIComponent(r.id));
            const a = el('a', { href: u.url, target: '_blank', rel: 'noopener', class: 'report-link' }, 'Open the report of ' + r.run_name);
            reportCell.replaceChildren(a);
            a.focus();
            window.open(u.url, '_blank', 'noopener');
          } catch (err) {
            reportCell.replaceChildren(el('span', { class: 'error-text' }, describe(err)));
          }
        });
        reportCell.append(b);
      }
      tb.append(el('tr', { 'data-run': r.id },
        el('td', {}, r.run_name), el('td', {}, r.run_type || ''),
        el('td', { class: 'status-' + r.status }, r.status), el('td', {}, when(r.started_at)),
        el('td', { class: 'num' }, fmt(r.training_samples)), el('td', { class: 'num' }, ratio(r.intent_f1_score)),
        el('td', { class: 'num' }, ratio(r.baseline_intent_f1_score)), el('td', {}, r.deployed == null ? '—' : r.deployed ? 'yes' : 'no'),
        el('td', {}, r.error_message || r.deploy_reason || ''), reportCell));
    });
    table.append(tb);
    tableHolder.replaceChildren(table);
    clearTimeout(timer);
    if (running) timer = setTimeout(refresh, 3000);
  }
  leave = () => clearTimeout(timer);
  await refresh();
}

// ------------------------------------------------------------------------------------------------
// Models
// ------------------------------------------------------------------------------------------------
async function models() {
  heading('Models');
  const status = el('p', { id: 'model-status', role: 'status' });
  main.append(status);
  const holder = el('div');
  main.append(holder);
  async function refresh() {
    const c = await api('/ai/training/models');
    const table = el('table', { class: 'data', id: 'models-table' }, el('caption', {}, 'Model versions in the bucket; latest serves ' + (c.latest_version || 'nothing')),
      el('thead', {}, el('tr', {}, ...['Version', 'Serving', 'Run', 'F1', 'Stored', 'Size', 'Roll back'].map(h => el('th', { scope: 'col' }, h)))));
    const tb = el('tbody');
    c.versions.forEach(v => {
      const action = el('td');
      if (!v.serving) {
        const b = el('button', { type: 'button', class: 'secondary', 'data-version': v.model_version }, 'Roll back to ' + v.model_version);
        b.addEventListener('click', async () => {
          const reason = prompt('Roll back: latest will serve ' + v.model_version + '. Reason (recorded with your name):', '');
          if (reason === null) return;
          try {
            const r = await api('/ai/training/models/rollback', { method: 'POST', body: { model_version: v.model_version, reason } });
            status.textContent = 'Rolled back from ' + (r.from_version || 'nothing') + ' to ' + r.to_version + ' by ' + r.rolled_back_by + '. Predict serves it within its refresh interval.';
            status.className = 'ok-text';
          } catch (err) {
            status.textContent = 'Not rolled back: ' + describe(err);
            status.className = 'error-text';
          }
          refresh();
        });
        action.append(b);
      }
      tb.append(el('tr', { 'data-version': v.model_version },
        el('td', {}, v.model_version), el('td', {}, v.serving ? el('strong', {}, 'latest') : ''),
        el('td', {}, v.run_name || '—'), el('td', { class: 'num' }, ratio(v.intent_f1_score)),
        el('td', {}, when(v.last_modified)), el('td', { class: 'num' }, fmt(Math.round(v.size / 1024)) + ' KiB'), action));
    });
    table.append(tb);
    const audit = el('table', { class: 'data', id: 'rollbacks-table' }, el('caption', {}, 'Roll backs (who, when, from, to)'),
      el('thead', {}, el('tr', {}, ...['When', 'Who', 'From', 'To', 'Reason'].map(h => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...(c.recent_rollbacks.length ? c.recent_rollbacks.map(r => el('tr', {}, el('td', {}, when(r.rolled_back_at)),
        el('td', {}, r.rolled_back_by), el('td', {}, r.from_version || '—'), el('td', {}, r.to_version), el('td', {}, r.reason || '')))
        : [el('tr', {}, el('td', { colspan: '5', class: 'muted' }, 'none'))])));
    holder.replaceChildren(table, audit);
  }
  await refresh();
}

// ------------------------------------------------------------------------------------------------
// Dataset
// ------------------------------------------------------------------------------------------------
async function dataset() {
  heading('Dataset');
  const stats = await api('/ai/training/dataset/stats');
  const card = (label, value) => el('div', { class: 'card' }, el('div', { class: 'value' }, value), el('div', { class: 'label' }, label));
  const cards = el('div', { class: 'cards', id: 'dataset-cards' });
  Object.entries(stats).forEach(([k, v]) => {
    if (typeof v === 'number' || typeof v === 'string') cards.append(card(k.replace(/_/g, ' '), typeof v === 'number' ? fmt(v) : v));
  });
  main.append(cards);
  const dist = stats.intent_distribution || stats.intents;
  if (dist && typeof dist === 'object') {
    const entries = Array.isArray(dist) ? dist.map(d => [d.intent || d.name, d.count ?? d.samples]) : Object.entries(dist);
    const top = entries.sort((a, b) => b[1] - a[1]).slice(0, 20);
    main.append(el('figure', {}, barChart(top.map(([x, y]) => ({ x, y }))), el('figcaption', {}, 'Samples per intent (top 20)')));
  }
  Object.entries(stats).forEach(([k, v]) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && k !== 'intent_distribution' && k !== 'intents') {
      const t = el('table', { class: 'data' }, el('caption', {}, k.replace(/_/g, ' ')),
        el('tbody', {}, ...Object.entries(v).map(([a, b]) => el('tr', {}, el('th', { scope: 'row' }, a), el('td', { class: 'num' }, typeof b === 'object' ? JSON.stringify(b) : String(b))))));
      main.append(t);
    }
  });

  main.append(el('h2', {}, 'Export'));
  const exportForm = el('form', { class: 'filters', id: 'export-form' });
  const exportFormat = el('select', { id: 'export-format' }, el('option', { value: 'jsonl' }, 'JSONL'), el('option', { value: 'csv' }, 'CSV'));
  const onlyReviewed = el('input', { id: 'export-reviewed', type: 'checkbox' });
  const exportOut = el('p', { id: 'export-result', role: 'status' });
  exportForm.append(el('div', {}, el('label', { for: 'export-format' }, 'Format'), exportFormat),
    el('div', { class: 'row' }, onlyReviewed, el('label', { for: 'export-reviewed' }, 'Reviewed only')),
    el('button', { type: 'submit' }, 'Export'));
  exportForm.addEventListener('submit', async e => {
    e.preventDefault();
    exportOut.textContent = 'Exporting…';
    try {
      const r = await api('/ai/training/dataset/export?format=' + exportFormat.value + (onlyReviewed.checked ? '&only_reviewed=true' : ''));
      exportOut.replaceChildren(fmt(r.rows) + ' rows, ' + fmt(r.bytes) + ' bytes: ',
        el('a', { href: r.url, download: r.key.split('/').pop(), id: 'export-link' }, 'download ' + r.key.split('/').pop()),
        ' (link valid until ' + when(r.expires_at) + ')');
    } catch (err) {
      exportOut.textContent = 'Export failed: ' + describe(err);
    }
  });
  main.append(exportForm, exportOut);

  main.append(el('h2', {}, 'Import'));
  const importForm = el('form', { class: 'filters', id: 'import-form' });
  const file = el('input', { id: 'import-file', type: 'file', accept: '.jsonl,.csv,.json,.txt' });
  const importFormat = el('select', { id: 'import-format' }, el('option', { value: '' }, 'from the file name'), el('option', { value: 'jsonl' }, 'JSONL'), el('option', { value: 'csv' }, 'CSV'));
  const importOut = el('div', { id: 'import-result', role: 'status' });
  importForm.append(el('div', {}, el('label', { for: 'import-file' }, 'File (JSONL or CSV, 4 MiB at most)'), file),
    el('div', {}, el('label', { for: 'import-format' }, 'Format'), importFormat),
    el('button', { type: 'submit' }, 'Import'));
  importForm.addEventListener('submit', async e => {
    e.preventDefault();
    const f = file.files[0];
    if (!f) { importOut.textContent = 'Choose a file first.'; return; }
    const format = importFormat.value || (/\.csv$/i.test(f.name) ? 'csv' : 'jsonl');
    importOut.textContent = 'Importing ' + f.name + '…';
    try {
      const text = await f.text();
      const r = await api('/ai/training/dataset/import?format=' + format, { method: 'POST', raw: text, contentType: format === 'csv' ? 'text/csv' : 'application/x-ndjson' });
      const rows = r.errors.map(x => el('tr', {}, el('td', { class: 'num' }, String(x.line)), el('td', {}, x.message)));
      importOut.replaceChildren(
        el('p', { id: 'import-summary' }, f.name + ': ' + r.records + ' record(s) read, ' + r.imported + ' imported, ' + r.duplicates + ' duplicate(s), ' + r.invalid + ' refused.'),
        rows.length ? el('table', { class: 'data', id: 'import-errors' }, el('caption', {}, 'Refused lines' + (r.errors_truncated ? ' (the first ones)' : '')),
          el('thead', {}, el('tr', {}, el('th', { scope: 'col', class: 'num' }, 'Line'), el('th', { scope: 'col' }, 'Why'))), el('tbody', {}, ...rows)) : '');
    } catch (err) {
      importOut.replaceChildren(el('p', { class: 'error-text', id: 'import-summary' }, 'Import refused: ' + describe(err)));
    }
  });
  main.append(importForm, importOut);
}

// ------------------------------------------------------------------------------------------------
// Start-up
// ------------------------------------------------------------------------------------------------
function globalKeys() {
  let g = false;
  document.addEventListener('keydown', e => {
    const t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
    if (e.key === '?') { e.preventDefault(); document.getElementById('help').showModal(); return; }
    if (g) {
      g = false;
      const target = { r: 'review', e: 'errors', d: 'dashboard', i: 'intents', t: 'training', m: 'models', s: 'dataset' }[e.key];
      if (target) { e.preventDefault(); location.hash = '#/' + target; }
      return;
    }
    if (e.key === 'g' && main.dataset.page !== undefined) { g = true; setTimeout(() => { g = false; }, 1500); }
  }, true);
  document.getElementById('help-button').addEventListener('click', () => document.getElementById('help').showModal());
}

async function start() {
  await configure();
  const who = signedInAs();
  if (who) document.getElementById('who').textContent = 'Signed in: ' + who;
  globalKeys();
  outbox.resume();
  window.addEventListener('hashchange', () => route().then(() => main.querySelector('h1')?.focus()));
  await route();
}

start().catch(e => {
  main.replaceChildren(el('p', { class: 'banner error', role: 'alert' }, 'The console could not start: ' + describe(e)));
});
