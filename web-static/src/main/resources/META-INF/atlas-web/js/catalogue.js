// The catalogue (models -> SAEs -> runs), fetched once per page load and shared by home and search filters.
import { graphql } from './api.js';
import { CATALOGUE } from './queries.js';

let cached = null;

export function catalogue() {
  if (!cached) {
    cached = graphql(CATALOGUE).then((data) => data.models);
    cached.catch(() => { cached = null; });
  }
  return cached;
}
