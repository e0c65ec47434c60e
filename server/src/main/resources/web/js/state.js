// The page's one state: the last view pushed by the server, who is logged in, and what the operator selected.
// Renderers read it; only events (server-sent or clicks) change it, then ask for one render on the next frame.

export const app = {
  view: null,
  me: null, // {name, role}
  index: { servers: new Map(), sim: new Map(), profiles: new Map(), jobs: new Map() },
  selectedJob: null, // a job the operator clicked; otherwise the newest job is shown
  details: null, // server id whose details are open
  whatIf: { on: false, servers: new Set(), enclosures: new Set(), plan: null },
};

const RANK = { viewer: 0, operator: 1, admin: 2 };

/** Whether the logged-in role may do what needs `role` (the server checks again; this only hides buttons). */
export function can(role) {
  return !!app.me && RANK[app.me.role] >= RANK[role];
}

export function setView(view) {
  app.view = view;
  const ix = app.index;
  ix.servers = new Map(view.servers.map((s) => [s.id, s]));
  ix.sim = new Map((view.sim || []).map((s) => [s.id, s]));
  ix.profiles = new Map(view.profiles.map((p) => [p.id, p]));
  ix.jobs = new Map(view.jobs.map((j) => [j.id, j]));
}

let renderer = () => {};
let pending = false;

export function onRender(f) {
  renderer = f;
}

/** Coalesces many changes into one render on the next animation frame. */
export function rerender() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    renderer();
  });
}

/** Renders now (the first view, and measurements). */
export function renderNow() {
  pending = false;
  renderer();
}
