package org.saeatlas.schema;

/**
 * The atlas software's version, in one place: the CLI's {@code --version}, the server's {@code /api/info}, and the
 * {@code software} provenance of every run, analysis and comparison (part of their content ids, so a new version
 * recomputes rather than reuses).
 */
public final class AtlasVersion {

    /** The release number. */
    public static final String NUMBER = "0.1.0";

    /** The software name and number as provenance records it: {@code sae-atlas 0.1.0}. */
    public static final String SOFTWARE = "sae-atlas " + NUMBER;

    private AtlasVersion() {
    }
}
