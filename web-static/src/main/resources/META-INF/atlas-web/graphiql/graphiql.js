// GraphiQL pointed at this server's /graphql, running only from WebJar assets.
(function () {
  'use strict';

  var DEFAULT_QUERY = [
    '# SAE Feature Atlas: explore the schema with the Docs button (top left).',
    '# Ctrl-Enter runs the query; Ctrl-Space completes field names.',
    '',
    'query Catalogue {',
    '  models {',
    '    id',
    '    name',
    '    saes { id layer width seed featureCount runs { id kind edgeCount } }',
    '  }',
    '}',
    '',
    'query Search($text: String! = "negation") {',
    '  search(text: $text, first: 5) {',
    '    edges { score snippet feature { id firingRate } }',
    '  }',
    '}',
    ''
  ].join('\n');

  var root = document.getElementById('graphiql');
  if (!window.React || !window.ReactDOM || !window.GraphiQL) {
    root.textContent = 'GraphiQL assets failed to load from /webjars/. Is the server serving WebJars?';
    return;
  }

  // A server started with --token: the token comes once in this page's URL (`/graphiql?token=...`, the UI's GraphiQL
  // link adds it) or from this tab's sessionStorage (where the UI keeps it), leaves the address bar, and goes with
  // every request as a bearer token, as the UI sends it.
  var token = null;
  var params = new URLSearchParams(window.location.search);
  if (params.get('token')) {
    token = params.get('token');
    try { sessionStorage.setItem('atlas-token', token); } catch (e) { /* storage off: this page keeps it */ }
    params.delete('token');
    var rest = params.toString();
    history.replaceState(history.state, '', window.location.pathname + (rest ? '?' + rest : '') + window.location.hash);
  } else {
    try { token = sessionStorage.getItem('atlas-token'); } catch (e) { token = null; }
  }

  var fetcher = window.GraphiQL.createFetcher({
    url: new URL('/graphql', window.location.href).toString(),
    headers: token ? { Authorization: 'Bearer ' + token } : {}
  });
  var back = React.createElement('a', { className: 'atlas-back', href: '/', title: 'Back to the atlas' }, '\u2190 SAE Feature Atlas');
  var logo = React.createElement(window.GraphiQL.Logo, null, back);

  ReactDOM.createRoot(root).render(
    React.createElement(window.GraphiQL, {
      fetcher: fetcher,
      defaultQuery: DEFAULT_QUERY,
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: false
    }, logo)
  );
})();
