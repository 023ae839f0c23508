// Corrections on their way to POST /ai/training/correction. Each is kept (in this tab's
// localStorage too, so that a reload loses nothing) until the server confirms it; a network
// failure or an unavailable server is retried with growing pauses and the page says so; a refusal
// (4xx) is handed back to the page. Resending is safe: the route answers 200 for a correction it
// already recorded.
import { api } from './api.js';

const KEY = 'console.outbox';

export class Outbox {
  constructor(banner) {
    this.banner = banner;
    this.items = [];
    this.callbacks = new Map();
    this.timer = null;
    this.delay = 1000;
    this.sent = 0;
    this.lastError = null;
  }

  /** Sends the corrections a previous page left unsent. */
  resume() {
    try {
      this.items = JSON.parse(localStorage.getItem(KEY) || '[]');
    } catch (e) {
      this.items = [];
    }
    if (this.items.length) this.flush();
    this.render();
  }

  pendingIds() {
    return this.items.map(i => i.body.training_data_id);
  }

  send(body, { label, onDone, onRefused } = {}) {
    this.items.push({ body, label });
    this.callbacks.set(body.training_data_id, { onDone, onRefused });
    this.save();
    this.post(this.items[this.items.length - 1]);
  }

  /**
   * Drops the correction of sample {@code id} if it was not sent yet (undo before it left); true
   * when it dropped one (then it will never be sent).
   */
  cancel(id) {
    const before = this.items.length;
    this.items = this.items.filter(i => !(i.body.training_data_id === id && !i.inFlight));
    const dropped = this.items.length !== before;
    if (dropped) this.save();
    this.render();
    return dropped;
  }

  async post(item) {
    if (item.inFlight) return;
    item.inFlight = true;
    this.render();
    try {
      const answer = await api('/ai/training/correction', { method: 'POST', body: item.body });
      this.remove(item);
      this.sent++;
      this.lastError = null;
      this.delay = 1000;
      const cb = this.callbacks.get(item.body.training_data_id);
      if (cb && cb.onDone) cb.onDone(answer);
    } catch (e) {
      item.inFlight = false;
      if (e.transient) {
        this.lastError = e.message;
        this.schedule();
      } else {
        this.remove(item);
        const cb = this.callbacks.get(item.body.training_data_id);
        if (cb && cb.onRefused) cb.onRefused(e);
      }
    }
    this.render();
  }

  remove(item) {
    this.items = this.items.filter(i => i !== item);
    this.save();
  }

  schedule() {
    if (this.timer) return;
    this.retryAt = Date.now() + this.delay;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.delay);
    this.delay = Math.min(this.delay * 2, 30000);
    this.tick();
  }

  tick() {
    clearInterval(this.ticker);
    this.ticker = setInterval(() => { if (!this.timer) clearInterval(this.ticker); this.render(); }, 1000);
  }

  flush() {
    this.items.forEach(i => this.post(i));
  }

  save() {
    localStorage.setItem(KEY, JSON.stringify(this.items.map(({ body, label }) => ({ body, label }))));
  }

  render() {
    const waiting = this.items.length;
    if (!waiting) {
      this.banner.textContent = '';
      this.banner.className = 'outbox';
      return;
    }
    if (this.lastError) {
      const s = Math.max(0, Math.ceil(((this.retryAt || Date.now()) - Date.now()) / 1000));
      this.banner.className = 'outbox';
      this.banner.textContent = waiting + ' correction(s) not sent yet: ' + this.lastError
        + '. Kept in this browser; retrying' + (this.timer ? ' in ' + s + ' s' : ' now') + '.';
    } else {
      this.banner.className = 'outbox ok';
      this.banner.textContent = 'Sending ' + waiting + ' correction(s)…';
    }
  }
}
