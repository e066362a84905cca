package org.saeatlas.server;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A complete run's graph as a file for other tools, for {@code GET /api/runs/<run>/export}. The server only declares
 * it: the implementation is the atlas's own export ({@code ./atlas export}), wired in by the command line, so the
 * server itself reads Neo4j through the database layer only.
 */
public interface RunDownloads {

    /** A download format: its name, media type and file extension. */
    record Format(String name, String mediaType, String extension) { }

    /** The format called {@code name}; an AtlasException naming the formats there are when there is none. */
    Format format(String name);

    /** Writes the run's graph to {@code out} as it is read (flushed, not closed). */
    void write(String run, Format format, OutputStream out) throws IOException;
}
