package org.saeatlas.server.store;

/**
 * A complete run as Neo4j names it now, what a projection of it must match: its id, the revision of its edges
 * (bumped when an analysis rewrites them), its edge count (null: not stored) and when it completed.
 */
public record RunRef(String id, long revision, Long edgeCount, Object completedAt) {

    static RunRef of(Run r) {
        return new RunRef(r.id(), r.edgesRevision(), r.edgeCount(), r.completedAt());
    }
}
