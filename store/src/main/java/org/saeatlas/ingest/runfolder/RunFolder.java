package org.saeatlas.ingest.runfolder;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.saeatlas.compute.fdr.FdrTable;
import org.saeatlas.compute.stability.StableEdge;
import org.saeatlas.compute.stability.TrialDiagnostics;

/**
 * A run folder read back: what {@link RunFolderWriter} wrote.
 *
 * @param method   the method name in run.json
 * @param params   every parameter, as written
 * @param rStar    the replicate threshold, empty when none met alpha
 * @param input    the input file, hash and shape
 * @param software the software version that wrote it
 * @param edges    edges.csv rows in file order
 * @param fdrTable fdr_table.csv rows
 * @param trials   per-trial diagnostics
 */
public record RunFolder(String method, Map<String, Object> params, OptionalInt rStar, RunInput input, String software,
                        List<StableEdge> edges, List<FdrTable.Row> fdrTable, List<TrialDiagnostics> trials) { }
