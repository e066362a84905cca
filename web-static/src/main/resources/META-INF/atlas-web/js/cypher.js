// Cypher the user can paste into Neo4j Browser to see what a page shows. Graph vocabulary as the ingest
// writes it: (:Feature {id: '<sae>/<index>'}), COACTIVATES / DEPENDS / COSINE / MATCHES / LINKS, (:Explanation)-[:EXPLAINS]->.

export const RELATIONSHIP = {
  COACTIVATION: 'COACTIVATES',
  DEPENDENCE: 'DEPENDS',
  COSINE: 'COSINE',
  MATCH: 'MATCHES',
  IMPORTED: 'LINKS',
  CONNECTION: 'CONNECTS',
};

/** A Cypher string literal (single quotes, backslash-escaped). */
export function literal(text) {
  return "'" + String(text).replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
}

export function neighboursCypher(featureId, kind, limit = 25) {
  const rel = RELATIONSHIP[kind] || RELATIONSHIP.COACTIVATION;
  return [
    `MATCH (f:Feature {id: ${literal(featureId)}})-[e:${rel}]-(g:Feature)`,
    'OPTIONAL MATCH (x:Explanation)-[:EXPLAINS]->(g)',
    'RETURN f, e, g, x',
    `LIMIT ${limit}`,
  ].join('\n');
}

/** A Neo4j Browser URL that opens the editor with the query filled in (its cmd=edit&arg= parameters). */
export function browserUrl(base, cypher) {
  if (!base) return null;
  const sep = base.includes('?') ? '&' : '?';
  return base + sep + 'cmd=edit&arg=' + encodeURIComponent(cypher);
}
