package org.saeatlas.compute.matching;

/** How matches were chosen from the scored candidates. */
public enum Pairing {
    /** Maximum-weight one-to-one matching ({@link LinearAssignment}). */
    ASSIGNMENT,
    /** Mutual best candidates ({@link MutualNearest}). */
    MUTUAL_NEAREST,
    /** Each feature of the wider SAE to its best partner in the narrower one: a narrow feature that split. */
    ONE_TO_MANY
}
