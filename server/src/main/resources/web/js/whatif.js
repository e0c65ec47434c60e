// What-if: the operator picks bays or whole enclosures, asks the plan endpoint what would happen if they failed now,
// and sees the answer on the chassis (where each profile lands, which stays down) and as a list.
import * as api from './api.js';
import { h, fill } from './dom.js';
import { icon } from './format.js';
import { fail } from './messages.js';
import { app, rerender } from './state.js';

const w = () => app.whatIf;

export function toggle(on) {
  w().on = on;
  w().servers.clear();
  w().enclosures.clear();
  w().plan = null;
  if (on) app.details = null;
  rerender();
}

export function toggleServer(id) {
  if (w().servers.has(id)) w().servers.delete(id);
  else w().servers.add(id);
  w().plan = null;
  rerender();
}

export function toggleEnclosure(id, on) {
  if (on) w().enclosures.add(id);
  else w().enclosures.delete(id);
  w().plan = null;
  rerender();
}

export async function show() {
  try {
    w().plan = await api.plan([...w().servers], [...w().enclosures]);
  } catch (e) {
    w().plan = null;
    fail('What-if plan failed', e);
  }
  rerender();
}

/** server id → what the plan says about it: fails | moves (to) | down | lands (profile from). */
export function marks() {
  const m = new Map();
  const plan = w().on ? w().plan : null;
  if (!plan) return m;
  for (const id of plan.failing) m.set(id, { kind: 'fails' });
  for (const e of plan.entries) {
    if (e.to) {
      m.set(e.from, { kind: 'moves', profile: e.profile, to: e.to });
      m.set(e.to, { kind: 'lands', profile: e.profile, from: e.from });
    } else {
      m.set(e.from, { kind: 'down', profile: e.profile, reason: e.reason });
    }
  }
  return m;
}

export function bayNote(mark) {
  const text = {
    fails: 'what-if: fails',
    moves: 'what-if: ' + mark.profile + ' → ' + mark.to,
    down: 'what-if: ' + mark.profile + ' stays down',
    lands: 'what-if: ' + mark.profile + ' lands here',
  }[mark.kind];
  const ic = { fails: 'failed', moves: 'move', down: 'failed', lands: 'land' }[mark.kind];
  return h('div.bay-plan', { class: mark.kind, dataset: { plan: mark.kind } }, icon(ic), h('span', text));
}

export function toolbar(root) {
  const on = w().on;
  const n = w().servers.size + w().enclosures.size;
  fill(root,
    h('button.tool', { type: 'button', 'aria-pressed': String(on), dataset: { whatif: 'toggle' }, onclick: () => toggle(!on) },
      on ? 'Close what-if' : 'What-if…'),
    on ? [
      h('span.hint', n ? w().servers.size + ' bay(s), ' + w().enclosures.size + ' enclosure(s) picked'
        : 'Click bays, or tick “fail the whole enclosure”, then show the plan.'),
      h('button.tool.primary', { type: 'button', disabled: n === 0, dataset: { whatif: 'show' }, onclick: show }, 'Show plan'),
      h('button.tool', { type: 'button', disabled: n === 0, onclick: () => toggle(true) }, 'Clear'),
    ] : null);
}

export function result(root) {
  const plan = w().on ? w().plan : null;
  root.hidden = !plan;
  if (!plan) return;
  const lands = plan.entries.filter((e) => e.to);
  const down = plan.entries.filter((e) => !e.to);
  fill(root,
    h('p.plan-head', plan.failing.length + ' server(s) fail: ' + lands.length + ' profile(s) land on a spare, '
      + down.length + ' stay down.'),
    // Listed in the order they would start: a profile's workload waits for those it starts after (its `after`).
    h('ol.plan-list', plan.entries.map((e) => h('li', { class: e.to ? 'lands' : 'down',
      dataset: { planProfile: e.profile, planWave: e.wave == null ? '' : String(e.wave) } },
      icon(e.to ? 'land' : 'failed'),
      e.to ? h('span.plan-wave', e.wave == null ? 'waits' : 'starts ' + e.wave + '.') : null,
      h('b', e.profile), e.to ? ' ' + e.from + ' → ' + e.to : ' stays down (was on ' + e.from + ')',
      e.waitsFor && e.waitsFor.length ? h('span.plan-after', ' after ' + e.waitsFor.join(', ')) : null,
      e.reason ? h('span.muted', ' — ' + e.reason) : null))),
    plan.entries.length ? null : h('p.muted', 'No profile runs on the failing servers: nothing would move.'));
}
