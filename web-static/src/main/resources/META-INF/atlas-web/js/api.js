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

/**
 * Runs a GraphQL document. Resolves to `data`; rejects with an AtlasError when the server answered with
 * errors (the partial data, if any, is on the error) or could not be reached.
 */
export async function graphql(query, variables = {}, { signal } = {}) {
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
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
    infoPromise = fetch('/api/info', { headers: { Accept: 'application/json' } })
      .then((r) => (r.ok ? r.json() : {}))
      .catch(() => ({}));
  }
  return infoPromise;
}
