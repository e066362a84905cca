package org.saeatlas.server.store;

import java.util.function.Supplier;

/**
 * An edge touching an asked feature {@code a}: its other end {@code b}, whether {@code a} is the stored start, and
 * the edge itself, which a run projection makes only when someone reads it (it holds edges compactly, and a subgraph
 * drops many rows).
 */
public final class EdgeAround {

    private final String a;
    private final String b;
    private final boolean outgoing;
    private Supplier<Edge> source;
    private Edge edge;

    EdgeAround(String a, String b, boolean outgoing, Edge edge) {
        this.a = a;
        this.b = b;
        this.outgoing = outgoing;
        this.edge = edge;
    }

    EdgeAround(String a, String b, boolean outgoing, Supplier<Edge> edge) {
        this(a, b, outgoing, (Edge) null);
        this.source = edge;
    }

    public String a() {
        return a;
    }

    public String b() {
        return b;
    }

    public boolean outgoing() {
        return outgoing;
    }

    public Edge edge() {
        if (edge == null) {
            edge = source.get();
        }
        return edge;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EdgeAround x && a.equals(x.a) && b.equals(x.b) && outgoing == x.outgoing
                && edge().equals(x.edge());
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(a, b, outgoing, edge());
    }

    @Override
    public String toString() {
        return a + (outgoing ? "->" : "<-") + b + " " + edge();
    }
}
