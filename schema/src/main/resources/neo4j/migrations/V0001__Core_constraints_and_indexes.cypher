// Identity of every node kind of the atlas, and the lookups the server and ingest do.
CREATE CONSTRAINT model_id IF NOT EXISTS FOR (n:Model) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT sae_id IF NOT EXISTS FOR (n:Sae) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT feature_id IF NOT EXISTS FOR (n:Feature) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT explanation_id IF NOT EXISTS FOR (n:Explanation) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT example_id IF NOT EXISTS FOR (n:Example) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT run_id IF NOT EXISTS FOR (n:Run) REQUIRE n.id IS UNIQUE;
CREATE INDEX feature_sae_index IF NOT EXISTS FOR (n:Feature) ON (n.sae, n.index);
CREATE INDEX run_sae_kind IF NOT EXISTS FOR (n:Run) ON (n.sae, n.kind);
CREATE INDEX sae_model IF NOT EXISTS FOR (n:Sae) ON (n.model);
CREATE INDEX coactivates_run IF NOT EXISTS FOR ()-[e:COACTIVATES]-() ON (e.run);
CREATE INDEX depends_run IF NOT EXISTS FOR ()-[e:DEPENDS]-() ON (e.run);
CREATE INDEX cosine_run IF NOT EXISTS FOR ()-[e:COSINE]-() ON (e.run);
CREATE INDEX matches_run IF NOT EXISTS FOR ()-[e:MATCHES]-() ON (e.run);
