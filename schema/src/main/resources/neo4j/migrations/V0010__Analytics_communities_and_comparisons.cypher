// Graph analytics (issue 11): communities and components of a run, their analyses, comparisons of two runs.
CREATE CONSTRAINT community_id IF NOT EXISTS FOR (n:Community) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT analysis_id IF NOT EXISTS FOR (n:Analysis) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT comparison_id IF NOT EXISTS FOR (n:Comparison) REQUIRE n.id IS UNIQUE;
CREATE INDEX community_run_kind IF NOT EXISTS FOR (n:Community) ON (n.run, n.kind);
CREATE INDEX community_analysis IF NOT EXISTS FOR (n:Community) ON (n.analysis);
CREATE INDEX analysis_run IF NOT EXISTS FOR (n:Analysis) ON (n.run);
CREATE INDEX comparison_runs IF NOT EXISTS FOR (n:Comparison) ON (n.runA, n.runB);
CREATE INDEX member_of_analysis IF NOT EXISTS FOR ()-[e:MEMBER_OF]-() ON (e.analysis);
CREATE INDEX matches_method IF NOT EXISTS FOR ()-[e:MATCHES]-() ON (e.method);
