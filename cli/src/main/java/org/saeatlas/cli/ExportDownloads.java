package org.saeatlas.cli;

import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import org.saeatlas.compute.Progress;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.export.RunExport;
import org.saeatlas.server.RunDownloads;

/** The server's run downloads are {@code ./atlas export}'s files: the same {@link RunExport}, streamed. */
@Singleton
public class ExportDownloads implements RunDownloads {

    private final AtlasDatabase database;

    public ExportDownloads(AtlasDatabase database) {
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
