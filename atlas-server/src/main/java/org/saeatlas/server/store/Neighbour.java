package org.saeatlas.server.store;

/** A neighbouring feature over one edge; {@code outgoing}: the asked feature is the edge's stored start. */
public record Neighbour(Feature feature, Edge edge, boolean outgoing) { }
