// Groups (policy, spares, capacity verdict), profiles (home, current server, priority, fallback, lock, identity)
// and alarms (open and cleared).
import * as actions from './actions.js';
import { h, keyed, fill } from './dom.js';
import { icon, dateTime, ago } from './format.js';
import { app, can } from './state.js';

export function groups(root) {
  const admin = can('admin');
  keyed(root, app.view.groups, (g) => g.id, (g) => JSON.stringify(g) + admin + spareSig(g), (g) => group(g, admin));
}

function spareSig(g) {
  return g.spares.map((id) => {
    const s = app.index.servers.get(id);
    return s ? s.profile + s.state + s.reservedBy : '';
  }).join();
}

function group(g, admin) {
  const p = g.policy;
  const cap = g.capacity;
  return h('article.group', { dataset: { group: g.id } },
    h('header.group-head',
      h('h3', g.id),
      h('span.badge', p.protection),
      h('span.badge', p.eventHandling),
      g.maintenance ? h('span.badge.maint', icon('warn'), 'maintenance') : null,
      admin ? h('button.act', { type: 'button', dataset: { action: 'maintenance', group: g.id },
        onclick: () => actions.maintenance(g.id, !g.maintenance) }, g.maintenance ? 'End maintenance…' : 'Maintenance…') : null),
    h('div.capacity', { class: cap.sufficient ? 'ok' : 'short', dataset: { sufficient: String(cap.sufficient) } },
      icon(cap.sufficient ? 'ok' : 'warn'),
      h('b', cap.sufficient ? 'Can absorb ' + p.anticipatedFailures + ' failure(s)' : 'Cannot absorb ' + p.anticipatedFailures + ' failure(s)'),
      h('span', ' — ' + cap.reason)),
    h('div.spares', h('span.label', 'Spares ' + g.freeSpares.length + ' free / ' + g.spares.length + ': '),
      g.spares.map((id) => spare(id, g.freeSpares.includes(id)))),
    h('dl.policy',
      pol('Servers', g.servers.length + ' regular'),
      pol('Detection', 'heartbeat ' + p.heartbeatInterval + ', failure after ' + p.failureTimeout),
      pol('Failover', (p.preempt ? 'preempts lower priority' : 'no preemption') + (p.serializeJobs ? ', one job at a time' : '')),
      pol('Timeouts', 'fence ' + p.fenceTimeout + ', boot ' + p.bootTimeout + ', verify ' + p.verifyTimeout + ' ×' + p.verifyRechecks),
      pol('Fallback', 'automatic after ' + p.fallbackHoldDown + ' healthy, at most ' + p.fallbackLimit + ' per ' + p.fallbackWindow)));
}

function spare(id, free) {
  const s = app.index.servers.get(id);
  const what = free ? 'free' : s && s.profile ? 'runs ' + s.profile : s && s.reservedBy ? 'reserved by job ' + s.reservedBy : s ? s.state : '?';
  return h('span.chip', { class: free ? 'free' : 'used', dataset: { spare: id } }, icon(free ? 'ok' : 'move'), id + ' · ' + what);
}

function pol(k, v) {
  return [h('dt', k), h('dd', v)];
}

/** Rows drawn at most: a big fleet is narrowed with the filter rather than drawn whole. */
const MAX_ROWS = 200;

export function profiles(tbody, filter, count) {
  const admin = can('admin');
  const words = filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const all = app.view.profiles;
  const matching = words.length ? all.filter((p) => {
    const text = [p.id, p.group, p.home, p.server || 'down', p.identity.hostname].join(' ').toLowerCase();
    return words.every((w) => text.includes(w));
  }) : all;
  const rows = matching.slice(0, MAX_ROWS);
  fill(count, rows.length < matching.length ? 'showing ' + rows.length + ' of ' + matching.length + ': filter to narrow'
    : matching.length + (words.length ? ' of ' + all.length : '') + ' profile(s)');
  keyed(tbody, rows, (p) => p.id,
    (p) => [p.server, p.lockedTo, p.activeJob, p.note, admin, stateOf(p.server), JSON.stringify(p.pair || null)].join('|'), (p) => profile(p, admin));
}

function stateOf(id) {
  const s = id ? app.index.servers.get(id) : null;
  return s ? s.state : '';
}

function profile(p, admin) {
  const away = p.server && p.server !== p.home;
  const id = p.identity;
  const serverState = stateOf(p.server);
  const where = !p.server ? h('span.where.down', icon('failed'), 'down')
    : serverState === 'failed' || serverState === 'fenced' ? h('span.where.down', icon('failed'), p.server, h('small', ' (' + serverState + ')'))
    : away ? h('span.where.away', icon('move'), p.server, h('small', ' (spare)')) : h('span.where.home', icon('running'), p.server);
  const buttons = [];
  if (admin) {
    if (p.server !== p.home && !p.activeJob && !p.lockedTo) {
      buttons.push(h('button.act', { type: 'button', dataset: { action: 'fallback', profile: p.id },
        onclick: () => actions.fallback(p.id) }, 'Fall back…'));
    }
    if (p.server && !p.activeJob && !p.lockedTo && stateOf(p.server) === 'running') {
      buttons.push(h('button.act', { type: 'button', dataset: { action: 'move', profile: p.id },
        onclick: () => actions.move(p.id) }, 'Move…'));
    }
    if (p.lockedTo) {
      buttons.push(h('button.act', { type: 'button', dataset: { action: 'unlock', profile: p.id },
        onclick: () => actions.unlock(p.id) }, 'Unlock…'));
    } else if (p.server && !p.activeJob) {
      buttons.push(h('button.act', { type: 'button', dataset: { action: 'lock', profile: p.id },
        onclick: () => actions.lock(p.id) }, 'Lock…'));
    }
  }
  return h('tr', { dataset: { profile: p.id, server: p.server || '', home: p.home }, title: p.note || '' },
    h('td', h('b', p.id)),
    h('td', p.group),
    h('td', p.home),
    h('td', where, p.pair ? pair(p.pair) : null),
    h('td.num', String(p.priority)),
    h('td', p.fallback),
    h('td', p.lockedTo ? h('span.locked', icon('lock'), p.lockedTo) : '—'),
    h('td.identity', id.hostname + ' · ' + id.addresses.join(', ') + (id.macs.length ? ' · ' + id.macs.join(', ') : '')
      + (id.fcPorts.length ? ' · WWPN ' + id.fcPorts.map((f) => f.wwpn + (f.bootFromSan ? ' (boot)' : '')).join(', ') : '')),
    h('td', p.activeJob ? h('a', { href: '#jobs', dataset: { job: p.activeJob } }, 'job ' + p.activeJob) : ''),
    admin ? h('td.acts', buttons) : null);
}

/** A lockstep profile's pair: its twin, whether the two are in step, how many inputs the primary applied and the lag. */
function pair(x) {
  const text = (x.twin ? 'twin ' + x.twin + ' · ' : '') + x.state
    + (x.seq != null ? ' · seq ' + x.seq : '') + (x.lag != null ? ' · lag ' + x.lag : '');
  return h('small.pair', { class: x.state, dataset: { pairState: x.state }, title: x.why || '' },
    h('br'), icon(x.state === 'paired' ? 'ok' : 'warn'), text);
}

export function alarms(openList, clearedList, counts, none) {
  const all = app.view.alarms;
  const open = all.filter((a) => !a.cleared);
  const cleared = all.filter((a) => a.cleared);
  fill(counts, open.length + ' open · ' + cleared.length + ' recently cleared');
  const row = (a) => h('li.alarm', { class: a.cleared ? 'cleared' : 'open', dataset: { alarm: a.id, type: a.type, subject: a.subject } },
    icon(a.cleared ? 'cleared' : 'alarm'),
    h('div',
      h('div.alarm-head', h('b', a.type), ' · ', a.subject, h('span.muted', ' ' + dateTime(a.raised)
        + (a.cleared ? ' → cleared ' + dateTime(a.cleared) : ' · ' + ago(a.raised, app.view.now)))),
      h('div.alarm-text', a.text)));
  keyed(openList, open, (a) => a.id, (a) => a.id + '|' + Math.floor(Date.parse(app.view.now) / 5000), row);
  keyed(clearedList, cleared, (a) => a.id, (a) => a.id + '|' + a.cleared, row);
  none.hidden = open.length > 0;
}
