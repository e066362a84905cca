package org.saeatlas.server.store;

import static org.saeatlas.server.store.ReadStatements.params;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.saeatlas.schema.Vocabulary;

/** Communities and components of complete analyses, their members and the run's edges among them. */
public final class CommunityReader {

    /** An edge of a run between two features of a set: its stored start {@code a}, end {@code b} and type. */
    public record EdgeAmong(String a, String b, String type, Edge edge) { }

    private final ReadStatements db;

    public CommunityReader(ReadStatements db) {
        this.db = db;
    }

    /** A page of an analysis's communities ({@code kind} community) or components, by index. */
    public List<Community> communities(String analysis, String kind, long skip, int limit) {
        return db.column("""
                MATCH (c:Community {analysis: $analysis, kind: $kind})
                RETURN c {.*} AS c ORDER BY c.index SKIP $skip LIMIT $limit""",
                params("analysis", analysis, "kind", kind, "skip", skip, "limit", limit), "c").stream()
                .map(Community::of).toList();
    }

    public long communityCount(String analysis, String kind) {
        return db.count("MATCH (c:Community {analysis: $analysis, kind: $kind}) RETURN count(c) AS n",
                params("analysis", analysis, "kind", kind));
    }

    /** A community of a complete analysis, or null. */
    public Community community(String id) {
        return db.column("""
                MATCH (c:Community {id: $id})
                WHERE EXISTS { MATCH (a:Analysis {id: c.analysis, status: $complete}) }
                RETURN c {.*} AS c""", params("id", id, "complete", Vocabulary.STATUS_COMPLETE), "c").stream()
                .map(Community::of).findFirst().orElse(null);
    }

    /** The first {@code limit} members of a community by index. */
    public List<Feature> members(String community, int limit) {
        return db.column("""
                MATCH (f:Feature)-[:MEMBER_OF]->(:Community {id: $id})
                RETURN f {.*} AS f ORDER BY f.index LIMIT $limit""", params("id", community, "limit", limit), "f")
                .stream().map(Feature::of).toList();
    }

    /** The communities of complete analyses a feature belongs to, of one run unless {@code run} is null. */
    public List<Community> communitiesOf(String featureId, String run) {
        return db.column("""
                MATCH (:Feature {id: $id})-[:MEMBER_OF]->(c:Community)
                WHERE ($run IS NULL OR c.run = $run)
                  AND EXISTS { MATCH (a:Analysis {id: c.analysis, status: $complete}) }
                RETURN c {.*} AS c ORDER BY c.run, c.kind, c.id""", params("id", featureId, "run", run,
                "complete", Vocabulary.STATUS_COMPLETE), "c").stream().map(Community::of).toList();
    }

    /** The edges of one run among a set of features, by start then end. */
    @SuppressWarnings("unchecked")
    public List<EdgeAmong> edgesAmong(Collection<String> ids, String run) {
        return db.query("""
                MATCH (a:Feature)-[e {run: $run}]->(b:Feature)
                WHERE a.id IN $ids AND b.id IN $ids
                RETURN a.id AS a, b.id AS b, type(e) AS type, e {.*} AS edge ORDER BY a, b""",
                params("ids", List.copyOf(ids), "run", run)).stream()
                .map(r -> new EdgeAmong((String) r.get("a"), (String) r.get("b"), (String) r.get("type"),
                        Edge.of((Map<String, Object>) r.get("edge")))).toList();
    }
}
