// Sparse connections between two SAEs' features (connection runs): edges and per-feature linearity, looked up by run.
CREATE INDEX connects_run IF NOT EXISTS FOR ()-[e:CONNECTS]-() ON (e.run);
CREATE INDEX linearity_run IF NOT EXISTS FOR ()-[e:LINEARITY]-() ON (e.run);
