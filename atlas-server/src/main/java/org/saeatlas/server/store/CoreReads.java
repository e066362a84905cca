package org.saeatlas.server.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.NotFoundException;
import org.neo4j.graphdb.RelationshipType;
import org.neo4j.graphdb.ResourceIterator;
import org.neo4j.graphdb.Transaction;
import org.saeatlas.ingest.db.InProcessCypher;
import org.saeatlas.schema.Vocabulary;

/**
 * The reads a feature page and a drawn neighbourhood make many times a second, through the embedded database's Core
 * API instead of Cypher: the same rows the readers' statements return (checked against them, feature by
 * feature, by {@code RunProjectionIT}), without planning and interpreting a statement for a handful of index seeks
 * and hops. Each call is one read-only transaction with the reader's timeout. Only for the in-process database;
 * over Bolt the reader keeps its Cypher.
 */
final class CoreReads {

    private static final Label FEATURE = Label.label(Vocabulary.FEATURE);
    private static final Label EXPLANATION = Label.label(Vocabulary.EXPLANATION);
    private static final Label EXAMPLE = Label.label(Vocabulary.EXAMPLE);
    private static final Label RUN = Label.label(Vocabulary.RUN);
    private static final RelationshipType EXPLAINS = RelationshipType.withName(Vocabulary.EXPLAINS);
    private static final RelationshipType EXAMPLE_OF = RelationshipType.withName(Vocabulary.EXAMPLE_OF);

    /** Cypher's ascending order of property values of one type, missing values last. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Comparator<Object> ASCENDING = (a, b) -> {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a.getClass() == b.getClass() && a instanceof Comparable c) {
            return c.compareTo(b);
        }
        return a.getClass().getName().compareTo(b.getClass().getName());
    };

    private final InProcessCypher db;

    CoreReads(InProcessCypher db) {
        this.db = db;
    }

    Map<String, Object> feature(String id) {
        return db.readCore(tx -> {
            Node f = tx.findNode(FEATURE, "id", id);
            return f == null ? null : InProcessCypher.properties(f);
        });
    }

    Map<String, Map<String, Object>> featuresById(Collection<String> ids) {
        return db.readCore(tx -> {
            Map<String, Map<String, Object>> out = new HashMap<>();
            for (String id : ids) {
                Node f = tx.findNode(FEATURE, "id", id);
                if (f != null) {
                    out.put(id, InProcessCypher.properties(f));
                }
            }
            return out;
        });
    }

    /**
     * Features by {@code [id, elementId]} pairs: the node with that element id when it is still a feature with that
     * id; the others (deleted, or the element id reused) are left out, for the caller to look up by id.
     */
    Map<String, Map<String, Object>> featuresByElementId(List<List<String>> known) {
        return db.readCore(tx -> {
            Map<String, Map<String, Object>> out = new HashMap<>();
            for (List<String> k : known) {
                Node f = nodeByElementId(tx, k.get(1));
                if (f != null && f.hasLabel(FEATURE)) {
                    Map<String, Object> properties = InProcessCypher.properties(f);
                    if (k.get(0).equals(properties.get("id"))) {
                        out.put(k.get(0), properties);
                    }
                }
            }
            return out;
        });
    }

    private static Node nodeByElementId(Transaction tx, String elementId) {
        try {
            return tx.getNodeByElementId(elementId);
        } catch (NotFoundException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Each feature's explanations ordered by id; features without any are left out. */
    Map<String, List<Map<String, Object>>> explanationsByFeature(Collection<String> ids) {
        return attached(ids, EXPLAINS, EXPLANATION, "id", Integer.MAX_VALUE);
    }

    /** Each feature's first {@code limit} examples by rank; features without any are left out. */
    Map<String, List<Map<String, Object>>> examplesByFeature(Collection<String> ids, int limit) {
        return attached(ids, EXAMPLE_OF, EXAMPLE, "rank", limit);
    }

    private Map<String, List<Map<String, Object>>> attached(Collection<String> ids, RelationshipType type, Label label,
                                                           String orderBy, int limit) {
        return db.readCore(tx -> {
            Map<String, List<Map<String, Object>>> out = new HashMap<>();
            for (String id : ids) {
                Node f = tx.findNode(FEATURE, "id", id);
                if (f == null) {
                    continue;
                }
                List<Map<String, Object>> items = new ArrayList<>();
                for (var r : f.getRelationships(Direction.INCOMING, type)) {
                    Node x = r.getStartNode();
                    if (x.hasLabel(label)) {
                        items.add(InProcessCypher.properties(x));
                    }
                }
                if (!items.isEmpty()) {
                    items.sort((a, b) -> ASCENDING.compare(a.get(orderBy), b.get(orderBy)));
                    out.put(id, List.copyOf(items.subList(0, Math.min(limit, items.size()))));
                }
            }
            return out;
        });
    }

    /** As {@link NeighbourReader#resolveRun}: the newest complete run that fits, by completion time then id. */
    RunRef resolveRun(NeighbourQuery q) {
        String sae = q.sae();
        List<String> runKinds = q.runKinds();
        String runMethod = q.runMethod();
        String run = q.run();
        return db.readCore(tx -> {
            List<Node> candidates = new ArrayList<>();
            if (run != null) {
                Node named = tx.findNode(RUN, "id", run);
                if (named != null) {
                    candidates.add(named);
                }
            } else {
                try (ResourceIterator<Node> complete = tx.findNodes(RUN, "status", Vocabulary.STATUS_COMPLETE)) {
                    complete.forEachRemaining(candidates::add);
                }
            }
            Map<String, Object> best = null;
            for (Node candidate : candidates) {
                Map<String, Object> r = candidate.getAllProperties();
                if (fits(r, sae, runKinds, runMethod, q.saeSide()) && (best == null || newer(r, best))) {
                    best = r;
                }
            }
            if (best == null) {
                return null;
            }
            return new RunRef((String) best.get("id"),
                    best.get(Vocabulary.EDGES_REVISION) instanceof Number n ? n.longValue() : 0L,
                    best.get("edgeCount") instanceof Number n ? n.longValue() : null, best.get("completedAt"));
        });
    }

    private static boolean fits(Map<String, Object> r, String sae, List<String> kinds, String method, Integer side) {
        if (!Vocabulary.STATUS_COMPLETE.equals(r.get("status")) || !kinds.contains(r.get("kind"))) {
            return false;
        }
        if (sae == null || method != null && !method.equals(r.get("method"))) {
            return false;
        }
        if (side != null) {
            return r.get("saes") instanceof String[] saes && side >= 0 && side < saes.length
                    && sae.equals(saes[side]);
        }
        if (sae.equals(r.get("sae"))) {
            return true;
        }
        return r.get("saes") instanceof String[] saes && List.of(saes).contains(sae);
    }

    /** Cypher's {@code ORDER BY r.completedAt DESC} (missing first), then the id for a total order. */
    private static boolean newer(Map<String, Object> r, Map<String, Object> best) {
        int c = -ASCENDING.compare(r.get("completedAt"), best.get("completedAt"));
        if (c == 0) {
            c = ASCENDING.compare(r.get("id"), best.get("id"));
        }
        return c < 0;
    }
}
