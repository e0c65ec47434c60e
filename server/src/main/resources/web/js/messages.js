// Tells the person what happened: each answer of an action, and every error in words. Errors stay until dismissed.
import { h } from './dom.js';
import { icon } from './format.js';

const box = () => document.getElementById('messages');

export function say(text) {
  const el = h('div.message.ok', { role: 'status' }, icon('ok'), h('span', { text }),
    h('button.dismiss', { title: 'dismiss', 'aria-label': 'dismiss', onclick: () => el.remove() }, '×'));
  box().prepend(el);
  // Confirmations fade; a refusal below does not.
  setTimeout(() => el.remove(), 8000);
  trim();
}

export function fail(what, err) {
  const text = what + ': ' + (err && err.message ? err.message : String(err));
  const el = h('div.message.error', { role: 'alert' }, icon('warn'), h('span', { text }),
    h('button.dismiss', { title: 'dismiss', 'aria-label': 'dismiss', onclick: () => el.remove() }, '×'));
  box().prepend(el);
  trim();
}

function trim() {
  const all = box().children;
  while (all.length > 5) all[all.length - 1].remove();
}
