// Talks to the atlas server: POST /graphql and GET /api/info.

/** A failed request: network, HTTP status or GraphQL errors. `errors` holds the GraphQL error objects. */
export class AtlasError extends Error {
  constructor(message, errors = [], data = null) {
    super(message);
    this.name = 'AtlasError';
    this.errors = errors;
    this.data = data;
  }
}

const TOKEN_KEY = 'atlas-token';

/**
 * The API token of a server started with --token: given once in the page URL (`/?token=...#/...`), then kept in
 * this tab's sessionStorage and taken out of the address bar (so it is not copied with a shared link). Null when none.
 */
export function apiToken() {
  const params = new URLSearchParams(location.search);
  const given = params.get('token');
  if (given) {
    try { sessionStorage.setItem(TOKEN_KEY, given); } catch (e) { /* storage off: the URL keeps it */ return given; }
    params.delete('token');
    const rest = params.toString();
    history.replaceState(history.state, '', location.pathname + (rest ? '?' + rest : '') + location.hash);
    return given;
  }
  try { return sessionStorage.getItem(TOKEN_KEY); } catch (e) { return null; }
}

/** Request headers with the token's Authorization when there is one. */
function withToken(headers) {
  const t = apiToken();
  return t ? { ...headers, Authorization: 'Bearer ' + t } : headers;
}

/** A GET URL of the API that a plain link can open (downloads): the token as RFC 6750's access_token parameter. */
export function apiLink(url) {
  const t = apiToken();
  return t ? url + (url.includes('?') ? '&' : '?') + 'access_token=' + encodeURIComponent(t) : url;
}

/**
 * Runs a GraphQL document. Resolves to `data`; rejects with an AtlasError when the server answered with
 * errors (the partial data, if any, is on the error) or could not be reached.
 */
export async function graphql(query, variables = {}, { signal } = {}) {
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: withToken({ 'Content-Type': 'application/json', Accept: 'application/json' }),
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new AtlasError('Could not reach the atlas server at /graphql (' + e.message + ').');
  }
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    throw new AtlasError('The server answered ' + response.status + ' ' + response.statusText + ' with a body that is not JSON.');
  }
  if (body && Array.isArray(body.errors) && body.errors.length) {
    const first = body.errors[0];
    const more = body.errors.length > 1 ? ' (and ' + (body.errors.length - 1) + ' more)' : '';
    throw new AtlasError(String(first.message ?? 'GraphQL error') + more, body.errors, body.data ?? null);
  }
  if (!response.ok) {
    throw new AtlasError('The server answered ' + response.status + ' ' + response.statusText + '.');
  }
  return body.data;
}

let infoPromise = null;

/** /api/info, fetched once; resolves to {} when unavailable so links fall back to defaults. */
export function info() {
  if (!infoPromise) {
    infoPromise = fetch('/api/info', { headers: withToken({ Accept: 'application/json' }) })
      .then((r) => (r.ok ? r.json() : {}))
      .catch(() => ({}));
  }
  return infoPromise;
}
