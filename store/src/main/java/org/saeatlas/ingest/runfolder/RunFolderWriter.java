package org.saeatlas.ingest.runfolder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.fdr.FdrTable;
import org.saeatlas.compute.stability.StabilityResult;
import org.saeatlas.compute.stability.StableEdge;
import org.saeatlas.compute.stability.TrialDiagnostics;

/**
 * Writes a stability run as the run folder of FORMATS.md: {@code edges.csv}, {@code fdr_table.csv} and
 * {@code run.json}. The files are written into a hidden sibling folder which is then renamed into place, so a crash
 * leaves no half-written run folder. Same result, same bytes.
 */
public final class RunFolderWriter {
    public static final String METHOD = "nodewise-lasso-stability";
    public static final String EDGES = "edges.csv";
    public static final String FDR_TABLE = "fdr_table.csv";
    public static final String RUN = "run.json";
    static final String EDGES_HEADER = "i,j,replicates,null_replicates,weight,sign_consistency,stable,median_weight";
    static final String EXPLAINED = "explained_away.csv";
    static final String FDR_HEADER = "r,observed,expected_null,fdr_est,indirect_share,total_error";

    private RunFolderWriter() {
    }

    /** Fails, naming it, when {@code folder} exists: a run folder is always new. Returns its absolute path. */
    public static Path requireNew(Path folder) {
        Path target = folder.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new AtlasException("run folder " + target + " already exists; expected a new path (choose another"
                    + " --out or delete the old run)");
        }
        return target;
    }

    /** Writes the run to {@code folder}, which must not exist yet; returns it. */
    public static Path write(Path folder, StabilityResult result, RunInput input, String software) {
        Path target = requireNew(folder);
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(target.getParent());
            deleteTree(tmp);
            Files.createDirectory(tmp);
            writeEdges(tmp.resolve(EDGES), result.edges());
            writeFdr(tmp.resolve(FDR_TABLE), result.fdrTable());
            if (result.explained() != null) {
                writeExplained(tmp.resolve(EXPLAINED), result);
            }
            mapper().writeValue(tmp.resolve(RUN).toFile(), runJson(result, input, software));
            move(tmp, target);
            return target;
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new AtlasException("run folder: cannot write " + target + " (" + e.getMessage() + ")", e);
        }
    }

    static ObjectMapper mapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target);
        } catch (FileAlreadyExistsException e) {
            deleteQuietly(tmp);
            throw new AtlasException("run folder " + target + " appeared while writing; expected it to stay absent", e);
        }
    }

    private static void writeEdges(Path file, List<StableEdge> edges) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(EDGES_HEADER + "\n");
            for (StableEdge e : edges) {
                w.write(e.i() + "," + e.j() + "," + e.replicates() + "," + e.nullReplicates() + "," + e.weight()
                        + "," + e.signConsistency() + "," + (e.stable() ? 1 : 0) + "," + e.medianWeight() + "\n");
            }
        }
    }

    /** explained_away.csv: i,j (the edge), k (the common neighbour that explains it), z (its conditional Fisher z). */
    private static void writeExplained(Path file, StabilityResult result) throws IOException {
        int p = result.features();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("i,j,k,z\n");
            long[] keys = result.explained().keys();
            for (int a = 0; a < keys.length; a++) {
                w.write(keys[a] / p + "," + keys[a] % p + "," + result.explained().by()[a] + ","
                        + result.explained().z()[a] + "\n");
            }
        }
    }

    private static void writeFdr(Path file, FdrTable table) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(FDR_HEADER + "\n");
            for (FdrTable.Row row : table.rows()) {
                w.write(row.r() + "," + row.observed() + "," + row.expectedNull() + "," + row.fdrEst() + ","
                        + (row.hasIndirectEstimate() ? String.valueOf(row.indirectShare()) : "") + ","
                        + row.totalError() + "\n");
            }
        }
    }

    static Map<String, Object> runJson(StabilityResult result, RunInput input, String software) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("method", METHOD);
        run.put("params", result.parameters().asMap());
        run.put("r_star", result.rStar().isPresent() ? result.rStar().getAsInt() : null);
        run.put("threshold", thresholdJson(result));
        run.put("stable_edges", result.stableEdges().size());
        run.put("edges_in_all_trials", result.edgesInAllTrials().size());
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("path", input.path());
        in.put("sha256", input.sha256());
        in.put("shape", List.of(input.tokens(), input.features()));
        run.put("input", in);
        run.put("software", software);
        List<Map<String, Object>> trials = new ArrayList<>();
        for (TrialDiagnostics t : result.trials()) {
            trials.add(trialJson(t));
        }
        run.put("trials", trials);
        return run;
    }

    /**
     * Why r* is what it is: the rule, alpha, the estimates at r* (chance FDR from the null trials, indirect share from
     * the planted twin, their total; an estimate that was not made is absent), the twin's shape and per-r counts
     * (found, indirect, chance; of them closing a nested two-path) and the input's per-r count of edges closing a
     * nested two-path.
     */
    public static Map<String, Object> thresholdJson(StabilityResult result) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", result.parameters().threshold().label());
        m.put("alpha", result.parameters().alpha());
        m.put("r_star", result.rStar().isPresent() ? result.rStar().getAsInt() : null);
        result.rStarRow().ifPresent(row -> {
            m.put("estimated_chance_fdr", finite(row.fdrEst()));
            if (row.hasIndirectEstimate()) {
                m.put("estimated_indirect_share", finite(row.indirectShare()));
            }
            m.put("estimated_total_error", finite(row.totalError()));
        });
        m.put("reason", result.thresholdReason());
        if (result.twin() != null) {
            Map<String, Object> twin = new LinkedHashMap<>();
            twin.put("features", result.twin().features());
            twin.put("tokens", result.twin().tokens());
            twin.put("active_per_token", result.twin().activePerToken());
            twin.put("planted_edges", result.twin().plantedEdges());
            twin.put("seed", result.twin().seed());
            twin.put("found", result.twin().found());
            twin.put("indirect", result.twin().indirect());
            twin.put("chance", result.twin().chance());
            twin.put("nested_found", result.twin().nestedFound());
            twin.put("nested_indirect", result.twin().nestedIndirect());
            m.put("planted_twin", twin);
        }
        if (result.nestedEdges() != null) {
            m.put("nested_edges", result.nestedEdges());
        }
        if (result.explained() != null) {
            Map<String, Object> ex = new LinkedHashMap<>();
            ex.put("tested", result.explained().tested());
            ex.put("z_cut", Double.isFinite(result.explained().zCut()) ? result.explained().zCut() : null);
            ex.put("explained", result.explained().keys().length);
            ex.put("file", EXPLAINED);
            m.put("explain_away", ex);
        }
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static Map<String, Object> trialJson(TrialDiagnostics t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trial", t.trial());
        m.put("kind", t.isNull() ? "null" : "observed");
        m.put("seed", t.seed());
        m.put("tokens", t.tokens());
        m.put("features_skipped", t.featuresSkipped());
        m.put("tests_run", t.testsRun());
        m.put("bh_discoveries", t.bhDiscoveries());
        m.put("mean_candidates", t.meanCandidates());
        m.put("directed_edges", t.directedEdges());
        m.put("and_edges", t.andEdges());
        m.put("or_edges", t.orEdges());
        return m;
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException ignored) {
            // best effort: the hidden temp folder is harmless if it stays
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        org.saeatlas.ingest.formats.Folders.deleteTree(dir);
    }
}
