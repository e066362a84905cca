// Neo4j's token lookup indexes (nodes by label, relationships by type), which every query that starts from a label
// or type without a property index uses. Neo4j creates them for a database it creates, but its offline importer does
// not: an atlas written by the bulk path lacked them and served 11x slower. Neo4j allows one lookup index per entity
// type, under any name: IF NOT EXISTS leaves one it already has (e.g. its own index_343aff4e) as it is.
CREATE LOOKUP INDEX node_label_lookup IF NOT EXISTS FOR (n) ON EACH labels(n);
CREATE LOOKUP INDEX relationship_type_lookup IF NOT EXISTS FOR ()-[r]-() ON EACH type(r);
