package org.saeatlas.server;

import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import org.saeatlas.compute.Progress;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.export.RunExport;

/**
 * The server's tests run without the command line, which wires the run downloads in ({@code cli.ExportDownloads}):
 * the same wiring, from test sources, so {@code /api/runs/<run>/export} streams {@code ./atlas export}'s files here too.
 */
@Singleton
class TestRunDownloads implements RunDownloads {

    private final AtlasDatabase database;

    TestRunDownloads(AtlasDatabase database) {
        this.database = database;
    }

    @Override
    public Format format(String name) {
        RunExport.Format f = RunExport.Format.parse(name);
        return new Format(f.name().toLowerCase(Locale.ROOT), f.mediaType(), f.extension());
    }

    @Override
    public void write(String run, Format format, OutputStream out) throws IOException {
        RunExport.stream(database.cypher(), run, RunExport.Format.parse(format.name()), out, Progress.NONE);
    }
}
