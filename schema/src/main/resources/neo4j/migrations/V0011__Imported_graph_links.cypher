// Edges of graphs imported from files (networkx node-link JSON), looked up by run like every other edge kind.
CREATE INDEX links_run IF NOT EXISTS FOR ()-[e:LINKS]-() ON (e.run);
