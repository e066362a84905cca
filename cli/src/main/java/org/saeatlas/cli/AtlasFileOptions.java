package org.saeatlas.cli;

import java.nio.file.Path;
import java.util.Locale;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.atlas.AtlasFile;
import org.saeatlas.ingest.atlas.AtlasPlan;
import org.saeatlas.ingest.atlas.ConnectStep;

/** Shared by the commands that take an atlas file: reading it into a plan, the results folder, sizes. */
final class AtlasFileOptions {

    private AtlasFileOptions() {
    }

    /** Reads and checks the atlas file and makes its plan; refuses CONNECT tasks this build cannot run. */
    static AtlasPlan plan(Path file) {
        AtlasPlan plan = AtlasPlan.of(AtlasFile.read(file));
        ConnectStep.checkAvailable(plan);
        return plan;
    }

    /** The results folder: {@code results} if given, else {@code <data>/results}. */
    static Path results(Path results, Path data) {
        return results != null ? results : data.resolve("results");
    }

    /** "8g", "512m", "2048k" or plain bytes. */
    static long bytes(String option, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (v.endsWith("g") || v.endsWith("gb")) {
            unit = 1L << 30;
        } else if (v.endsWith("m") || v.endsWith("mb")) {
            unit = 1L << 20;
        } else if (v.endsWith("k") || v.endsWith("kb")) {
            unit = 1L << 10;
        }
        String digits = v.replaceAll("[a-z]+$", "");
        try {
            double n = Double.parseDouble(digits);
            if (!(n > 0)) {
                throw new NumberFormatException();
            }
            return (long) (n * unit);
        } catch (NumberFormatException e) {
            throw new AtlasException(option + ": expected a size such as 8g or 512m, found '" + value + "'");
        }
    }

    /** The default memory budget: three quarters of this JVM's maximum heap. */
    static long defaultBudget() {
        return Runtime.getRuntime().maxMemory() / 4 * 3;
    }

    static final String USAGE = """
            Atlas files (one file for a laptop or a cluster; see the README):
              ./atlas build atlas.yaml [--jobs N] [--memory 8g]
                  compute what is missing, load it, then communities, matches, comparisons
              ./atlas status atlas.yaml [--json]
                  each task: built, stale (says what changed), failed or missing
              ./atlas task atlas.yaml --index I --out RESULTS
                  compute task I alone (0-based, no database): a job array element
              ./atlas load atlas.yaml --from RESULTS
                  load the finished task folders of RESULTS, then the database tasks
              ./atlas plan atlas.yaml --slurm DIR | --k8s DIR
                  the same build for a cluster: a Slurm job array and a load job, or a
                  Kubernetes indexed Job and a load Job; DIR/submit.sh submits them""";
}
