package org.saeatlas.server;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.Locale;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.server.store.AtlasReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/runs/<run>/export?format=csv|graphml|nodelink}: a complete run's graph as a download, the same
 * bytes {@code ./atlas export} writes (CSV edge list, GraphML, networkx node-link JSON; {@link RunDownloads}),
 * streamed from Neo4j as it is read. Read-only; an unknown or incomplete run is 404 and an unknown format 400, each
 * saying what was expected.
 */
@Controller("/api/runs")
public class RunExportController {

    private static final Logger LOG = LoggerFactory.getLogger(RunExportController.class);
    private static final int PIPE = 1 << 16;

    private final RunDownloads downloads;
    private final AtlasReader reader;

    public RunExportController(RunDownloads downloads, AtlasReader reader) {
        this.downloads = downloads;
        this.reader = reader;
    }

    @Get("/{run}/export")
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> export(@PathVariable("run") String run, @QueryValue("format") @Nullable String format) {
        RunDownloads.Format f;
        try {
            f = downloads.format(format == null ? "csv" : format);
        } catch (AtlasException e) {
            return text(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        if (reader.runs().run(run) == null) {
            return text(HttpStatus.NOT_FOUND, "run '" + run + "' is not a complete run of the atlas (GraphQL 'runs' lists them)");
        }
        PipedInputStream in = new PipedInputStream(PIPE);
        PipedOutputStream out;
        try {
            out = new PipedOutputStream(in);
        } catch (IOException e) {
            throw new AtlasException("export of run " + run + ": " + e.getMessage(), e);
        }
        Thread writer = new Thread(() -> {
            try (out) {
                downloads.write(run, f, out);
            } catch (IOException | RuntimeException e) {
                // the client went away, or the read failed: the download ends short
                LOG.warn("export of run {} as {} stopped: {}", run, f.name(), e.getMessage());
            }
        }, "export-" + run);
        writer.setDaemon(true);
        writer.start();
        String file = run.replaceAll("[^A-Za-z0-9._-]", "_") + "." + f.extension();
        return HttpResponse.ok(new StreamedFile(in, MediaType.of(f.mediaType())))
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"");
    }

    private static HttpResponse<String> text(HttpStatus status, String message) {
        return HttpResponse.<String>status(status).contentType(MediaType.TEXT_PLAIN_TYPE)
                .body(message.toLowerCase(Locale.ROOT).startsWith("export") ? message : "export: " + message);
    }
}
