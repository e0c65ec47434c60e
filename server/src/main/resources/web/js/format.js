// Words, icons and times. Every state is shown by an icon and a label, never by colour alone.

const SVG_NS = 'http://www.w3.org/2000/svg';

// 16x16 outline icons, drawn with currentColor so they follow the text colour.
const PATHS = {
  running: '<circle cx="8" cy="8" r="6.5"/><path d="M4.8 8.3l2.2 2.2 4.2-4.6"/>',
  off: '<path d="M8 2v6"/><path d="M4.6 4.4a5 5 0 1 0 6.8 0"/>',
  booting: '<path d="M13 8a5 5 0 1 1-1.5-3.6"/><path d="M11.8 1.8v3h-3"/>',
  failed: '<circle cx="8" cy="8" r="6.5"/><path d="M5.5 5.5l5 5M10.5 5.5l-5 5"/>',
  fenced: '<rect x="2" y="2" width="12" height="12" rx="1"/><path d="M2 14L14 2M5 2v12M11 2v12"/>',
  hung: '<circle cx="8" cy="8" r="6.5"/><path d="M6.3 5v6M9.7 5v6"/>',
  unknown: '<circle cx="8" cy="8" r="6.5"/><path d="M6 6.2a2 2 0 1 1 2.6 1.9c-.5.2-.6.6-.6 1v.6"/><path d="M8 11.6v.2"/>',
  empty: '<rect x="2.5" y="2.5" width="11" height="11" rx="1" stroke-dasharray="2 2"/>',
  done: '<path d="M3.5 8.5l3 3 6-7"/>',
  pending: '<circle cx="8" cy="8" r="5" stroke-dasharray="2 2"/>',
  skipped: '<path d="M3 8h10M9 4l4 4-4 4"/>',
  alarm: '<path d="M8 1.8L15 14H1z"/><path d="M8 6v4M8 11.8v.2"/>',
  cleared: '<circle cx="8" cy="8" r="6.5"/><path d="M4.8 8.3l2.2 2.2 4.2-4.6"/>',
  ok: '<circle cx="8" cy="8" r="6.5"/><path d="M4.8 8.3l2.2 2.2 4.2-4.6"/>',
  warn: '<path d="M8 1.8L15 14H1z"/><path d="M8 6v4M8 11.8v.2"/>',
  lock: '<rect x="3" y="7" width="10" height="7" rx="1"/><path d="M5 7V5a3 3 0 0 1 6 0v2"/>',
  move: '<path d="M2 5h10M9 2l3 3-3 3M14 11H4M7 8l-3 3 3 3"/>',
  land: '<path d="M8 2v9M4 7l4 4 4-4M3 14h10"/>',
  fault: '<path d="M9 1L3 9h4l-1 6 6-8H8z"/>',
};

/** An inline SVG icon (no icon font, nothing fetched). */
export function icon(name, cls) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('class', 'icon' + (cls ? ' ' + cls : ''));
  svg.setAttribute('aria-hidden', 'true');
  svg.innerHTML = PATHS[name] || PATHS.unknown;
  return svg;
}

/** The state a bay shows: the control plane's, with the detector's "hung" verdict named as such. */
export function displayState(server) {
  if (!server) return 'empty';
  if (server.state === 'failed' && /hung/i.test(server.reason || '')) return 'hung';
  return server.state;
}

export const STATE_LABEL = {
  running: 'running', off: 'off', booting: 'booting', failed: 'failed', fenced: 'fenced', hung: 'hung',
  unknown: 'not seen yet', empty: 'empty bay',
};

/** regular | spare (holding a profile or reserved by a job) | free (a spare ready to take a profile). */
export function role(server) {
  if (server.role !== 'spare') return 'regular';
  return server.profile || server.reservedBy ? 'spare' : 'free';
}

export const ROLE_LABEL = { regular: 'regular', spare: 'spare · in use', free: 'spare · free' };

export function time(iso) {
  if (!iso) return '—';
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

export function dateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleDateString([], { month: 'short', day: 'numeric' }) + ' ' + time(iso);
}

/** Milliseconds between two ISO times (or to `now`), or null. */
export function span(from, to) {
  if (!from || !to) return null;
  return new Date(to).getTime() - new Date(from).getTime();
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '';
  if (ms < 1000) return Math.max(0, Math.round(ms)) + ' ms';
  const s = ms / 1000;
  if (s < 60) return s.toFixed(s < 10 ? 1 : 0) + ' s';
  const m = Math.floor(s / 60);
  if (m < 60) return m + ' min ' + Math.round(s % 60) + ' s';
  return Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
}

export function ago(iso, now) {
  const ms = span(iso, now);
  return ms === null ? '' : duration(ms) + ' ago';
}

export function bayNumber(location) {
  const m = /bay(\d+)$/.exec(location || '');
  return m ? Number(m[1]) : 0;
}

export function enclosureOf(location) {
  return (location || '').split('/')[0];
}
