package org.saeatlas.compute.connections;

import java.util.List;
import org.saeatlas.compute.fdr.FdrTable;

/**
 * The output of a connection run.
 *
 * @param connections every pair selected in at least one observed trial, sorted by (downstream, upstream)
 * @param fdrTable    observed versus null replicate counts, r* at alpha
 * @param linearity   per downstream feature evaluated (firing often enough), increasing feature index
 * @param nullTrialMeanConnections mean number of connections per null trial
 */
public record ConnectionResult(ConnectionParameters parameters, int tokens, int upstreamFeatures,
                               int downstreamFeatures, List<Connection> connections, FdrTable fdrTable,
                               List<FeatureLinearity> linearity, double observedTrialMeanConnections,
                               double nullTrialMeanConnections) {

    public List<Connection> stable() {
        return connections.stream().filter(Connection::stable).toList();
    }

    /** Share of the evaluated downstream features flagged linear, or NaN when none was evaluated. */
    public double linearShare() {
        if (linearity.isEmpty()) {
            return Double.NaN;
        }
        return linearity.stream().filter(FeatureLinearity::linear).count() / (double) linearity.size();
    }

    public long linearCount() {
        return linearity.stream().filter(FeatureLinearity::linear).count();
    }
}
