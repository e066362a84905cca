package org.saeatlas.schema;

/**
 * The graph vocabulary shared by ingest and server: labels, relationship types, property keys and index names, so
 * Cypher strings cannot drift apart. See the README's data model section for the picture.
 *
 * <pre>
 * (:Model)<-[:OF_MODEL]-(:Sae)<-[:IN_SAE]-(:Feature)<-[:EXPLAINS]-(:Explanation)
 *                                          (:Feature)<-[:EXAMPLE_OF]-(:Example)
 * (:Run)-[:ON_SAE]->(:Sae)
 * (:Feature)-[:COACTIVATES {run}]->(:Feature)   (:Feature)-[:DEPENDS {run}]->(:Feature)   i < j
 * (:Feature)-[:LINKS {run}]->(:Feature)          an imported graph's edges (any SAEs; source to target)
 * (:Feature)-[:CONNECTS {run}]->(:Feature)       upstream feature (SAE A) to downstream feature (SAE B)
 * (:Feature)-[:LINEARITY {run}]->(:Run)          a downstream feature's linear vs nonlinear fit in a connection run
 * </pre>
 */
public final class Vocabulary {

    private Vocabulary() {
    }

    public static final String MODEL = "Model";
    public static final String SAE = "Sae";
    public static final String FEATURE = "Feature";
    public static final String EXPLANATION = "Explanation";
    public static final String EXAMPLE = "Example";
    public static final String RUN = "Run";

    public static final String OF_MODEL = "OF_MODEL";
    public static final String IN_SAE = "IN_SAE";
    public static final String EXPLAINS = "EXPLAINS";
    public static final String EXAMPLE_OF = "EXAMPLE_OF";
    public static final String ON_SAE = "ON_SAE";
    public static final String COACTIVATES = "COACTIVATES";
    public static final String DEPENDS = "DEPENDS";
    public static final String COSINE = "COSINE";
    public static final String MATCHES = "MATCHES";
    /** An edge of a graph imported from a file (networkx node-link JSON), between features of any SAEs. */
    public static final String LINKS = "LINKS";
    /** A sparse connection from an upstream feature (SAE A) to a downstream feature (SAE B) of a connection run. */
    public static final String CONNECTS = "CONNECTS";
    /** {@code (:Feature)-[:LINEARITY {run, linearR2, nonlinearR2, lossDifference, linear}]->(:Run)}. */
    public static final String LINEARITY = "LINEARITY";

    /** Run kinds, stored in {@code Run.kind}. */
    public static final String KIND_COACTIVATION = "coactivation";
    public static final String KIND_DEPENDENCE = "dependence";
    public static final String KIND_IMPORTED = "imported";
    /** Sparse connections between the features of two SAEs (upstream {@code saes[0]}, downstream {@code saes[1]}). */
    public static final String KIND_CONNECTION = "connection";

    /** Run status: a run is visible to queries only when complete. */
    public static final String STATUS_LOADING = "loading";
    public static final String STATUS_COMPLETE = "complete";

    public static final String FULLTEXT_EXPLANATIONS = "explanation_text";

    /** Vector index over explanation embeddings (created at ingest, when the dimension is known). */
    public static final String VECTOR_EXPLANATIONS = "explanation_embedding";

    /** Classpath location of the versioned Cypher migrations. */
    public static final String MIGRATIONS_LOCATION = "classpath:neo4j/migrations";

    /**
     * The migration files under {@link #MIGRATIONS_LOCATION}, in order: ingest applies them (its
     * {@code SchemaMigrations}) without scanning the classpath (seconds with Neo4j's jars on it). A test checks the
     * list against the folder; a new migration is added here too.
     */
    public static final java.util.List<String> MIGRATIONS = java.util.List.of(
            "V0001__Core_constraints_and_indexes.cypher",
            "V0002__Explanation_fulltext_index.cypher",
            "V0010__Analytics_communities_and_comparisons.cypher",
            "V0011__Imported_graph_links.cypher",
            "V0012__Token_lookup_indexes.cypher",
            "V0030__Sae_error_statistics.cypher",
            "V0040__Connections_between_layers.cypher");

    /** Classpath resource of the GraphQL schema. */
    public static final String GRAPHQL_SCHEMA = "graphql/atlas.graphqls";

    /** The id of a feature node: {@code <saeId>/<index>}. */
    public static String featureId(String saeId, int index) {
        return saeId + "/" + index;
    }

    /** The relationship type of an edge kind of the GraphQL API. */
    public static String relationshipOf(String edgeKind) {
        return switch (edgeKind) {
            case "COACTIVATION" -> COACTIVATES;
            case "DEPENDENCE" -> DEPENDS;
            case "COSINE" -> COSINE;
            case "MATCH" -> MATCHES;
            case "IMPORTED" -> LINKS;
            case "CONNECTION" -> CONNECTS;
            default -> throw new IllegalArgumentException("unknown edge kind " + edgeKind
                    + " (expected COACTIVATION, DEPENDENCE, COSINE, MATCH, IMPORTED or CONNECTION)");
        };
    }

    /** The GraphQL edge kind of a relationship type. */
    public static String edgeKindOf(String relationship) {
        return switch (relationship) {
            case COACTIVATES -> "COACTIVATION";
            case DEPENDS -> "DEPENDENCE";
            case COSINE -> "COSINE";
            case MATCHES -> "MATCH";
            case LINKS -> "IMPORTED";
            case CONNECTS -> "CONNECTION";
            default -> throw new IllegalArgumentException("not an edge relationship: " + relationship);
        };
    }

    /** The run kind stored for an edge kind of the GraphQL API. */
    public static String runKindOf(String edgeKind) {
        return switch (edgeKind) {
            case "COACTIVATION" -> KIND_COACTIVATION;
            case "DEPENDENCE" -> KIND_DEPENDENCE;
            case "COSINE" -> "cosine";
            case "MATCH" -> "match";
            case "IMPORTED" -> KIND_IMPORTED;
            case "CONNECTION" -> KIND_CONNECTION;
            default -> throw new IllegalArgumentException("unknown edge kind " + edgeKind);
        };
    }

    /** The relationship type a run's edges are stored as, or null for a kind that stores no edges. */
    public static String relationshipOfRunKind(String runKind) {
        if (runKind == null) {
            return null;
        }
        return switch (runKind) {
            case KIND_COACTIVATION -> COACTIVATES;
            case KIND_DEPENDENCE -> DEPENDS;
            case KIND_COSINE -> COSINE;
            case KIND_MATCH, KIND_STRUCTURAL_MATCH -> MATCHES;
            case KIND_IMPORTED -> LINKS;
            case KIND_CONNECTION -> CONNECTS;
            default -> null;
        };
    }

    /**
     * {@code (:AtlasState {id: 'atlas', explanationsRevision})}: one node whose revision every ingest of explanations
     * bumps, so the server's search index (derived from the explanations) knows to rebuild.
     */
    public static final String ATLAS_STATE = "atlas";

    /** {@code Run.edgesRevision}: bumped whenever the edges of a complete run are written again (edge seed
     *  stability), so anything derived from them (the server's in-memory projections) knows to rebuild. */
    public static final String EDGES_REVISION = "edgesRevision";

    // ---- graph analytics and cross-SAE comparison (issue 11) ----

    /** A community or connected component of one analysed run. */
    public static final String COMMUNITY = "Community";
    /** Provenance of one analysis of a run: algorithm, seed, modularity, parameters, status. */
    public static final String ANALYSIS = "Analysis";
    /** The comparison of two runs' graphs (JSD against baselines, edge overlap, community agreement). */
    public static final String COMPARISON = "Comparison";

    /** {@code (:Feature)-[:MEMBER_OF {run, analysis}]->(:Community)}. */
    public static final String MEMBER_OF = "MEMBER_OF";
    /** {@code (:Community)-[:IN_ANALYSIS]->(:Analysis)}. */
    public static final String IN_ANALYSIS = "IN_ANALYSIS";
    /** {@code (:Analysis)-[:OF_RUN]->(:Run)}. */
    public static final String OF_RUN = "OF_RUN";
    /** {@code (:Comparison)-[:COMPARES {side: 'A'|'B'}]->(:Run)}. */
    public static final String COMPARES = "COMPARES";

    /**
     * Run property: the atlas-file task ({@code sae:<id>}, {@code match:<a>~<b>}, ...) whose build loaded the run.
     * When the task is built again from changed inputs or settings, its runs that the new build did not produce
     * are superseded and deleted (runs loaded by hand have no such property and are never touched).
     */
    public static final String ATLAS_TASK = "atlasTask";

    /** Run kinds of the decoder-cosine top-k graph and of matches between two SAEs. */
    public static final String KIND_COSINE = "cosine";
    public static final String KIND_MATCH = "match";
    /**
     * Run kind of matches by neighbourhood structure (two runs' graphs compared node by node). Kept apart from
     * {@link #KIND_MATCH} on purpose: structure is weak evidence, so these matches never count towards seed
     * stability ({@code Feature.matchedIn}), edge seed stability or the matching a comparison uses by default.
     */
    public static final String KIND_STRUCTURAL_MATCH = "structural_match";

    /** {@code Community.kind}. */
    public static final String GROUP_COMMUNITY = "community";
    public static final String GROUP_COMPONENT = "component";

    /** {@code Feature.matchedIn}: how many other SAEs hold a confident (one-to-one assignment) match of it. */
    public static final String MATCHED_IN = "matchedIn";
}
