package org.saeatlas.compute.stability;

import org.saeatlas.compute.planted.PlantedGraph;
import java.util.ArrayList;
import java.util.List;
import org.saeatlas.compute.fdr.FdrTable;

/**
 * What a replicate threshold means on planted data: for each r, the edges seen in at least r trials split into true,
 * chance (no planted path) and indirect (a planted path of length >= 2), with the null-estimated FDR beside the
 * realised share of chance edges, the estimated indirect share and total error (when the run had a planted twin)
 * beside the realised share of false (chance + indirect) edges, and F1 against the planted graph.
 *
 * @param rStar the automatically chosen threshold, or -1 when none met alpha
 */
public record CalibrationTable(List<Row> rows, int rStar) {

    public record Row(int r, int found, int trueEdges, int chance, int indirect, double fdrEstimate,
                      double chanceShare, double f1, double indirectEstimate, double totalEstimate) {
        /** Realised share of false edges (chance + indirect) among those found: what the total error estimates. */
        public double falseShare() {
            return found == 0 ? 0.0 : (chance + indirect) / (double) found;
        }

        public double precision() {
            return found == 0 ? 1.0 : trueEdges / (double) found;
        }
    }

    public static CalibrationTable of(PlantedGraph planted, StabilityResult result) {
        List<Row> rows = new ArrayList<>();
        for (FdrTable.Row row : result.fdrTable().rows()) {
            List<StableEdge> at = result.countedEdges().stream().filter(e -> e.replicates() >= row.r()).toList();
            PlantedGraph.Score s = planted.score(at.stream().mapToInt(StableEdge::i).toArray(),
                    at.stream().mapToInt(StableEdge::j).toArray());
            rows.add(new Row(row.r(), s.found(), s.trueEdges(), s.chance(), s.indirect(), row.fdrEst(),
                    s.chanceShare(), s.f1(), row.indirectShare(), row.totalError()));
        }
        return new CalibrationTable(List.copyOf(rows), result.rStar().orElse(-1));
    }

    /** The row at the automatic threshold, if any. */
    public Row atRStar() {
        return rows.stream().filter(r -> r.r() == rStar).findFirst().orElse(null);
    }
}
