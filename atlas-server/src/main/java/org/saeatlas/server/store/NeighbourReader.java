package org.saeatlas.server.store;

import static org.saeatlas.server.store.ReadStatements.params;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.saeatlas.schema.Vocabulary;

/**
 * The edge reads in Cypher (or the Core API for the run resolution), each for one {@link NeighbourQuery}: which run,
 * neighbours of many features, directed neighbours of one, the edges around a set of features, a shortest path.
 * {@link EdgeReads} answers the first ones from a run's in-memory projection when it is ready, with the same rows.
 */
public final class NeighbourReader {

    private final ReadStatements db;

    public NeighbourReader(ReadStatements db) {
        this.db = db;
    }

    /**
     * The run {@code q}'s edges come from: {@code q.run()} if given and complete (and of one of {@code q.runKinds()},
     * and of {@code q.runMethod()} when not null, with {@code q.sae()} at {@code q.saeSide()} of its SAEs when that
     * is not null), else the newest such run on {@code q.sae()}; null if there is none.
     */
    public RunRef resolveRun(NeighbourQuery q) {
        if (db.coreReads()) {
            return db.viaCore(c -> c.resolveRun(q));
        }
        List<Map<String, Object>> rows = db.query("""
                MATCH (r:Run {status: $complete})
                WHERE r.kind IN $kinds AND ($method IS NULL OR r.method = $method)
                  AND (r.sae = $sae OR $sae IN coalesce(r.saes, [])) AND ($run IS NULL OR r.id = $run)
                  AND ($side IS NULL OR r.saes[$side] = $sae)
                RETURN r.id AS id, coalesce(r.edgesRevision, 0) AS revision, r.edgeCount AS edgeCount,
                       r.completedAt AS completedAt
                ORDER BY r.completedAt DESC LIMIT 1""", params("sae", q.sae(), "kinds", q.runKinds(), "method",
                q.runMethod(), "complete", Vocabulary.STATUS_COMPLETE, "run", q.run(), "side", q.saeSide()));
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> r = rows.get(0);
        return new RunRef((String) r.get("id"), ((Number) r.get("revision")).longValue(),
                r.get("edgeCount") instanceof Number n ? n.longValue() : null, r.get("completedAt"));
    }

    /**
     * Neighbours of many features of one SAE, per asked id, strongest first, in one round trip. A match run links a
     * pair once per method (assignment, mutual nearest), so one row per neighbour unless {@code q.everyEdge()}; an
     * imported multigraph's parallel edges stay distinct with it. Ids without neighbours are left out.
     */
    @SuppressWarnings("unchecked")
    public Map<String, List<Neighbour>> neighboursByFeature(Collection<String> ids, NeighbourQuery q) {
        String cypher = q.runCypher() + """
                UNWIND $ids AS id
                MATCH (f:Feature {id: id})
                MATCH %s
                WHERE %s
                WITH id, f, g, e ORDER BY abs(coalesce(e.weight, e.score)) DESC, e.method, e.key
                WITH id, f, g, CASE WHEN $everyEdge THEN collect(e) ELSE collect(e)[0..1] END AS es
                UNWIND es AS e
                WITH id, f, e, g ORDER BY abs(coalesce(e.weight, e.score)) DESC, g.id, e.method, e.key
                RETURN id, collect({feature: g {.*}, edge: e {.*}, outgoing: startNode(e) = f})[..$limit] AS items"""
                .formatted(q.edgePattern(), q.edgeFilter());
        Map<String, Object> p = q.parameters();
        p.put("ids", List.copyOf(ids));
        Map<String, List<Neighbour>> out = new HashMap<>();
        FeatureReader.grouped(db.query(cypher, p)).forEach((id, items) ->
                out.put(id, items.stream().map(NeighbourReader::neighbour).toList()));
        return out;
    }

    /**
     * The neighbours of one feature for a {@link NeighbourQuery} with a {@code direction}: upstream ones are the
     * edges' stored starts (pointing at the feature), downstream ones their ends; strongest first, one per neighbour
     * unless {@code everyEdge}.
     */
    public List<Neighbour> directedNeighbours(String id, NeighbourQuery q) {
        String cypher = q.runCypher() + """
                MATCH (f:Feature {id: $id})
                MATCH %s
                WHERE %s
                WITH f, g, e ORDER BY abs(coalesce(e.weight, e.score)) DESC, e.method, e.key
                WITH f, g, CASE WHEN $everyEdge THEN collect(e) ELSE collect(e)[0..1] END AS es
                UNWIND es AS e
                RETURN g {.*} AS feature, e {.*} AS edge, startNode(e) = f AS outgoing
                ORDER BY abs(coalesce(e.weight, e.score)) DESC, g.id, e.method, e.key LIMIT $limit"""
                .formatted(q.edgePattern(), q.edgeFilter());
        Map<String, Object> p = q.parameters();
        p.put("id", id);
        return db.query(cypher, p).stream().map(NeighbourReader::neighbour).toList();
    }

    @SuppressWarnings("unchecked")
    private static Neighbour neighbour(Map<String, Object> row) {
        return new Neighbour(Feature.of((Map<String, Object>) row.get("feature")),
                Edge.of((Map<String, Object>) row.get("edge")), Boolean.TRUE.equals(row.get("outgoing")));
    }

    /**
     * The edges of {@code q}'s run (named: {@code q.run()}) touching any of {@code ids}, after {@code q}'s filters,
     * keeping only those whose other end is in {@code among} (null: any): the edges of a drawn neighbourhood, and
     * those that close it at its boundary; by |weight| descending.
     */
    @SuppressWarnings("unchecked")
    public List<EdgeAround> edgesAround(Collection<String> ids, Collection<String> among, NeighbourQuery q) {
        Map<String, Object> p = q.parameters();
        p.put("ids", List.copyOf(ids));
        p.put("among", among == null ? null : List.copyOf(among));
        List<EdgeAround> out = new ArrayList<>();
        for (Map<String, Object> r : db.query("""
                UNWIND $ids AS id
                MATCH (f:Feature {id: id})-[e:%s {run: $run}]-(g:Feature)
                WHERE ($among IS NULL OR g.id IN $among)
                  AND %s
                RETURN id AS a, g.id AS b, e {.*} AS edge, startNode(e) = f AS outgoing
                ORDER BY abs(e.weight) DESC, a, b, e.method, e.key""".formatted(q.relationship(), q.edgeFilter()),
                p)) {
            out.add(new EdgeAround((String) r.get("a"), (String) r.get("b"), Boolean.TRUE.equals(r.get("outgoing")),
                    Edge.of((Map<String, Object>) r.get("edge"))));
        }
        return out;
    }

    /**
     * The feature ids along a shortest path from {@code from} to {@code to} of at most {@code maxHops} edges of
     * {@code q}'s run (named: {@code q.run()}) that pass its filters, ignoring direction; null when there is none.
     */
    @SuppressWarnings("unchecked")
    public List<String> shortestPath(String from, String to, int maxHops, NeighbourQuery q) {
        Map<String, Object> p = q.parameters();
        p.put("from", from);
        p.put("to", to);
        List<Map<String, Object>> rows = db.query("""
                MATCH (a:Feature {id: $from}), (b:Feature {id: $to})
                MATCH p = shortestPath((a)-[:%s*1..%d]-(b))
                WHERE all(e IN relationships(p) WHERE e.run = $run AND %s)
                RETURN [n IN nodes(p) | n.id] AS ids
                LIMIT 1""".formatted(q.relationship(), maxHops, q.edgeFilter()), p);
        return rows.isEmpty() ? null : (List<String>) rows.get(0).get("ids");
    }
}
