// The atlas single-page app: hash routes, the header links from /api/info, and keyboard shortcuts.
import { apiToken, info } from './api.js';
import { h, mount } from './dom.js';
import { featureHref, searchHref } from './format.js';
import { renderHome } from './views/home.js';
import { renderSearch } from './views/search.js';
import { renderFeature } from './views/feature.js';
import { renderSae } from './views/sae.js';
import { renderCommunity } from './views/community.js';
import { renderRun } from './views/run.js';
import { renderCompare } from './views/compare.js';
import { errorBox } from './widgets.js';

const main = document.getElementById('main');
let current = null;

/** '#/feature/a/b/12?x=1' -> {segments: ['feature','a','b','12'], params: URLSearchParams} */
export function parseHash(hash) {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const segments = path.split('/').filter(Boolean).map((p) => {
    try { return decodeURIComponent(p); } catch (e) { return p; }
  });
  return { segments, params: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

function route() {
  if (current) current.abort();
  current = new AbortController();
  const { segments, params } = parseHash(location.hash);
  const [head, ...rest] = segments;
  const ctx = { main, params, signal: current.signal };
  window.scrollTo(0, 0);
  const page = head ?? 'home';
  highlightNav(page);
  const run = {
    home: () => renderHome(ctx),
    search: () => renderSearch(ctx),
    feature: () => rest.length >= 2
      ? renderFeature({ ...ctx, saeId: rest.slice(0, -1).join('/'), index: rest[rest.length - 1] })
      : notFound(),
    sae: () => rest.length ? renderSae({ ...ctx, saeId: rest.join('/') }) : notFound(),
    community: () => rest.length ? renderCommunity({ ...ctx, communityId: rest.join('/') }) : notFound(),
    run: () => rest.length ? renderRun({ ...ctx, runId: rest.join('/') }) : notFound(),
    compare: () => rest.length === 2 ? renderCompare({ ...ctx, a: rest[0], b: rest[1] }) : notFound(),
  }[page] || notFound;
  Promise.resolve(run()).catch((e) => {
    if (e && e.name === 'AbortError') return;
    mount(main, errorBox(e, 'Something went wrong'));
  });
}

function notFound() {
  document.title = 'Not found · SAE Feature Atlas';
  mount(main, h('section', {}, h('h1', {}, 'Nothing here'),
    h('p', {}, 'No page matches ', h('code', {}, location.hash), '. ', h('a', { href: '#/' }, 'Back to the catalogue'), '.')));
}

function highlightNav(page) {
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

/** The header's quick search box and the "go to feature" box. */
function wireHeader() {
  document.getElementById('skip').addEventListener('click', () => main.focus());
  const form = document.getElementById('quick-search');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = form.elements.q.value.trim();
    if (!q) return;
    const jump = /^(.+)\/(\d+)$/.exec(q);
    location.hash = jump && !/\s/.test(q) ? featureHref(jump[1], jump[2]) : searchHref({ q });
  });
  document.addEventListener('keydown', (e) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName) || e.target.isContentEditable;
    if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      const box = document.querySelector('#main input[type=search]') || form.elements.q;
      box.focus();
      box.select();
    }
  });
}

async function wireInfo() {
  const i = await info();
  const graphiql = document.getElementById('link-graphiql');
  const browser = document.getElementById('link-browser');
  if (i.graphiql) graphiql.href = i.graphiql;
  // GraphiQL opens in a new tab, which does not share this tab's sessionStorage: the link carries the token
  const token = apiToken();
  if (token) {
    const url = new URL(graphiql.href, location.href);
    url.searchParams.set('token', token);
    graphiql.href = url.toString();
  }
  if (i.browser) { browser.href = i.browser; browser.hidden = false; }
  if (i.version) document.getElementById('version').textContent = 'v' + i.version;
  if (i.bolt) document.getElementById('bolt').textContent = i.bolt;
}

apiToken(); // a --token given in the page URL: kept for this tab, taken out of the address bar
wireHeader();
wireInfo();
window.addEventListener('hashchange', route);
route();
