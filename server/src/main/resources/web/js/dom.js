// Small DOM helpers: build elements, and update long lists by key so that only changed rows touch the DOM
// (a fleet of 1,000 servers re-renders several times a second during a failover storm).

/** h('div.bay.running', {title: 'x', dataset: {server: 'bl-1'}, onclick: f}, child, 'text', ...) */
export function h(tag, props, ...children) {
  if (props !== null && props !== undefined && (typeof props !== 'object' || props instanceof Node || Array.isArray(props))) {
    children.unshift(props);
    props = null;
  }
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length) el.className = classes.join(' ');
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'class') el.className += (el.className ? ' ' : '') + v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'text') el.textContent = v;
      else if (k in el && typeof v !== 'string') el[k] = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/**
 * Keeps container's children in the order of items, one element per key. render(item) builds an element;
 * sig(item) is a string that changes whenever the element must be rebuilt. Unchanged rows are left alone.
 */
export function keyed(container, items, key, sig, render) {
  const cache = container.__keyed || (container.__keyed = new Map());
  const seen = new Set();
  let prev = null;
  for (const item of items) {
    const k = key(item);
    seen.add(k);
    const s = sig(item);
    let entry = cache.get(k);
    if (!entry || entry.sig !== s) {
      const el = render(item);
      if (entry) entry.el.replaceWith(el);
      entry = { el, sig: s };
      cache.set(k, entry);
    }
    const want = prev ? prev.nextSibling : container.firstChild;
    if (want !== entry.el) container.insertBefore(entry.el, want);
    prev = entry.el;
  }
  for (const [k, entry] of cache) {
    if (!seen.has(k)) {
      entry.el.remove();
      cache.delete(k);
    }
  }
}

/** Forgets a container's keyed rows so that the next keyed() call rebuilds them (the role or a selection changed). */
export function reset(container) {
  container.__keyed = null;
  container.replaceChildren();
}

export const $ = (sel, root = document) => root.querySelector(sel);
