// The data center: each enclosure drawn as a chassis with its bays. A bay shows its server, role, state, profile,
// the job moving it and (in what-if mode) the plan's answer. Bays are rebuilt only when what they show changed.
import { h, keyed, fill } from './dom.js';
import { icon, displayState, STATE_LABEL, role, ROLE_LABEL, bayNumber, enclosureOf } from './format.js';
import { app, can, rerender } from './state.js';
import * as actions from './actions.js';
import * as whatif from './whatif.js';

/** Past this many bays per enclosure the bays are drawn small: icon, bay and server only (details on click). */
const DENSE_FROM = 24;

export function render(root) {
  const v = app.view;
  const byEnclosure = new Map(v.enclosures.map((e) => [e.id, new Map()]));
  for (const s of v.servers) {
    const enc = byEnclosure.get(enclosureOf(s.location));
    if (enc) enc.set(bayNumber(s.location), s);
  }
  const moving = jobsByServer(v.jobs);
  const marks = whatif.marks();
  keyed(root, v.enclosures, (e) => e.id, (e) => e.id + ':' + e.bays, (e) => chassis(e));
  for (const e of v.enclosures) {
    const el = root.querySelector(`[data-enclosure="${CSS.escape(e.id)}"]`);
    const bays = byEnclosure.get(e.id);
    const dense = e.bays > DENSE_FROM;
    el.classList.toggle('dense', dense);
    // Up to 8 bays a row, as on a blade chassis; rows balanced (16 bays: two rows of 8).
    const cols = e.bays <= 8 ? e.bays : Math.ceil(e.bays / Math.ceil(e.bays / 8));
    el.querySelector('.bays').style.gridTemplateColumns = dense ? '' : `repeat(${cols}, minmax(0, 1fr))`;
    fill(el.querySelector('.chassis-summary'), summary(e, bays));
    enclosureActions(el.querySelector('.chassis-actions'), e, bays);
    const pick = el.querySelector('.pick-enclosure');
    pick.hidden = !app.whatIf.on;
    pick.querySelector('input').checked = app.whatIf.enclosures.has(e.id);
    const slots = [];
    for (let b = 1; b <= e.bays; b++) slots.push({ b, s: bays.get(b) || null });
    keyed(el.querySelector('.bays'), slots, (x) => x.b, (x) => signature(e, x, moving, marks, dense),
      (x) => bay(e, x, moving, marks, dense));
  }
}

function chassis(e) {
  const input = h('input', { type: 'checkbox', onchange: (ev) => whatif.toggleEnclosure(e.id, ev.target.checked) });
  return h('section.chassis', { dataset: { enclosure: e.id }, 'aria-label': 'enclosure ' + e.id },
    h('header.chassis-head',
      h('span.chassis-name', e.id),
      h('span.chassis-summary'),
      h('span.chassis-actions'),
      h('label.pick-enclosure', { hidden: true }, input, ' fail the whole enclosure')),
    h('div.bays'));
}

/**
 * Drain… (or Undrain… once every server there is drained) for admins only: created or removed here on each render,
 * so other roles have no such button at all, and rebuilt only when what it says changes.
 */
function enclosureActions(root, e, bays) {
  const servers = [...bays.values()];
  const all = servers.length > 0 && servers.every((s) => s.drained);
  const want = can('admin') && servers.length > 0 && !app.whatIf.on ? (all ? 'undrain' : 'drain') : '';
  if (root.dataset.shows === want) return;
  root.dataset.shows = want;
  fill(root, !want ? null : h('button.act.small', { type: 'button', dataset: { action: want, enclosure: e.id },
    onclick: () => (want === 'drain' ? actions.drain([e.id], e.id) : actions.undrain([e.id], e.id)) },
  want === 'drain' ? 'Drain…' : 'Undrain…'));
}

function summary(e, bays) {
  const counts = {};
  for (const s of bays.values()) {
    const st = displayState(s);
    counts[st] = (counts[st] || 0) + 1;
  }
  const parts = [e.bays + ' bays', bays.size + ' servers'];
  const drained = [...bays.values()].filter((s) => s.drained).length;
  if (drained) parts.push(drained + ' drained');
  for (const st of ['running', 'booting', 'off', 'failed', 'hung', 'fenced', 'unknown']) {
    if (counts[st]) parts.push(counts[st] + ' ' + STATE_LABEL[st]);
  }
  return parts.join(' · ');
}

/** Running jobs by the servers they touch: the source it leaves and the target it goes to. */
function jobsByServer(jobs) {
  const m = new Map();
  for (const j of jobs) {
    if (j.status !== 'running') continue;
    if (j.source) m.set(j.source, { job: j, side: 'source' });
    if (j.target) m.set(j.target, { job: j, side: 'target' });
  }
  return m;
}

function signature(e, { b, s }, moving, marks, dense) {
  if (!s) return 'empty:' + dense;
  const sim = app.index.sim.get(s.id);
  const mv = moving.get(s.id);
  return [s.state, s.reason, s.profile, s.reservedBy, role(s), dense, app.details === s.id, s.drained,
    sim ? sim.faults.join(',') + sim.state : '', mv ? mv.job.id + mv.side + mv.job.currentStep : '',
    app.whatIf.on, app.whatIf.servers.has(s.id), JSON.stringify(marks.get(s.id) || null)].join('|');
}

function bay(e, { b, s }, moving, marks, dense) {
  if (!s) {
    return h('div.bay.empty', { dataset: { bay: e.id + '/bay' + b }, title: e.id + '/bay' + b + ': empty bay' },
      h('div.bay-top', h('span.bay-no', String(b))), dense ? icon('empty') : h('div.bay-state', icon('empty'), 'empty bay'));
  }
  const st = displayState(s);
  const r = role(s);
  const sim = app.index.sim.get(s.id);
  const faults = sim ? sim.faults : [];
  const mv = moving.get(s.id);
  const mark = marks.get(s.id);
  const picked = app.whatIf.on && app.whatIf.servers.has(s.id);
  const profile = s.profile ? app.index.profiles.get(s.profile) : null;
  const away = profile && profile.home !== s.id;
  const text = [s.location, s.id, ROLE_LABEL[r], STATE_LABEL[st], s.profile ? 'runs ' + s.profile : 'no profile',
    s.drained ? 'drained' : '', mv ? 'job ' + mv.job.id + ' ' + (mv.job.currentStep || '') : '', faults.length ? 'injected ' + faults.join(', ') : '']
    .filter(Boolean).join(' · ');
  const el = h('div.bay', {
    class: 'st-' + st + ' role-' + r + (mv ? ' moving' : '') + (picked ? ' picked' : '') + (app.details === s.id ? ' selected' : '')
      + (mark ? ' plan-' + mark.kind : '') + (s.drained ? ' drained' : ''),
    role: 'button', tabindex: '0', title: text, 'aria-label': text,
    dataset: { server: s.id, state: st, role: r, profile: s.profile || '', bay: s.location, drained: s.drained ? 'yes' : 'no' },
    onclick: () => click(s.id),
    onkeydown: (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); click(s.id); } },
  });
  if (dense) {
    el.append(h('span.bay-no', String(b)), icon(st, 'state-icon'), h('span.bay-id', s.id));
    if (mv) el.append(icon('move', 'job-icon'));
    if (mark) el.append(h('span.plan-dot', { text: mark.kind === 'lands' ? '▼' : mark.kind === 'down' ? '✕' : '→' }));
    return el;
  }
  el.append(
    h('div.bay-top', h('span.bay-no', String(b)), h('span.role', { class: 'role-' + r }, ROLE_LABEL[r])),
    h('div.bay-id', s.id, h('span.bay-meta', ' ' + s.model + ' · ' + s.group)),
    h('div.bay-state', icon(st, 'state-icon'), h('span', STATE_LABEL[st])),
    h('div.bay-profile', s.profile ? [h('b', s.profile), away ? h('small', ' home ' + profile.home) : null]
      : h('span.muted', r === 'free' ? 'ready for a profile' : 'no profile')));
  if (mv) {
    el.append(h('div.bay-job', { dataset: { job: mv.job.id } }, icon('move'),
      h('span', 'job ' + mv.job.id + (mv.side === 'target' ? ' ▸ here' : ' ◂ leaving') + ' · ' + (mv.job.currentStep || 'ending'))));
  }
  if (faults.length) el.append(h('div.bay-fault', icon('fault'), h('span', 'injected: ' + faults.join(', '))));
  if (mark) el.append(whatif.bayNote(mark));
  else if (picked) el.append(h('div.bay-plan.fails', icon('failed'), h('span', 'what-if: fails')));
  return el;
}

function click(id) {
  if (app.whatIf.on) {
    whatif.toggleServer(id);
    return;
  }
  app.details = app.details === id ? null : id;
  rerender();
}

/** The legend: every state and role with its icon, so nothing depends on telling colours apart. */
export function legend(root) {
  const states = ['running', 'booting', 'off', 'failed', 'hung', 'fenced', 'unknown'];
  fill(root,
    states.map((st) => h('span.legend-item', { class: 'st-' + st }, h('span.swatch', icon(st, 'state-icon')), STATE_LABEL[st])),
    ['regular', 'spare', 'free'].map((r) => h('span.legend-item', h('span.role', { class: 'role-' + r }, ROLE_LABEL[r]))));
}
