// Number and id formatting shared by the views.

export function num(value, digits = 3) {
  if (value === null || value === undefined) return '—';
  if (typeof value !== 'number') return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en');
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(2);
  return value.toFixed(digits);
}

export function percent(value) {
  if (value === null || value === undefined) return '—';
  const p = value * 100;
  if (p !== 0 && Math.abs(p) < 0.01) return p.toExponential(1) + '%';
  return (Math.abs(p) < 1 ? p.toFixed(3) : p.toFixed(2)) + '%';
}

export function bool(value) {
  if (value === null || value === undefined) return '—';
  return value ? 'yes' : 'no';
}

/** Route to a feature; the index is the last path segment, the SAE id (which may contain '/') comes before. */
export function featureHref(saeId, index) {
  return '#/feature/' + String(saeId).split('/').map(encodeURIComponent).join('/') + '/' + encodeURIComponent(index);
}

/** Route to a feature given its id '<sae>/<index>'. */
export function featureHrefFromId(id) {
  const cut = String(id).lastIndexOf('/');
  return cut < 0 ? '#/' : featureHref(id.slice(0, cut), id.slice(cut + 1));
}

export function saeHref(saeId) {
  return '#/sae/' + String(saeId).split('/').map(encodeURIComponent).join('/');
}

export function searchHref(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  return '#/search?' + q.toString();
}

/** Route to a run's page. */
export function runHref(runId) {
  return '#/run/' + encodeURIComponent(runId);
}

/** Route to a community page by the community's id (its slashes kept, as the community page reads it). */
export function communityHref(id) {
  return '#/community/' + String(id).split('/').map(encodeURIComponent).join('/');
}

/** Route to the compare page of two SAEs or two runs (each id one segment). */
export function compareHref(a, b) {
  return '#/compare/' + encodeURIComponent(a) + '/' + encodeURIComponent(b);
}
