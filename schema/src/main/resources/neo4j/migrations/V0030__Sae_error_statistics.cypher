// SAE error statistics ("dark matter", issue 24): each SAE's sampled tokens by error norm (worst + uniform), and
// one node holding every token's error norm, from which pairs of SAEs over the same tokens are compared.
CREATE INDEX error_token_sae IF NOT EXISTS FOR (t:ErrorToken) ON (t.sae);
CREATE CONSTRAINT error_norms_sae IF NOT EXISTS FOR (n:ErrorNorms) REQUIRE n.sae IS UNIQUE;
