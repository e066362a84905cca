package org.saeatlas.ingest.atlas;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.engine.ComputeEngine;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.sae.EncodeParameters;
import org.saeatlas.compute.sae.EncodeResult;
import org.saeatlas.compute.sae.ErrorStatistics;
import org.saeatlas.compute.sae.SaeWeights;
import org.saeatlas.ingest.formats.Checksums;
import org.saeatlas.ingest.formats.ProgressPrinter;
import org.saeatlas.ingest.SaeInput;
import org.saeatlas.ingest.SaeInputs;
import org.saeatlas.ingest.formats.ActivationFiles;
import org.saeatlas.ingest.formats.ResidualFiles;
import org.saeatlas.ingest.formats.SaeLensFolder;
import org.saeatlas.ingest.formats.TokenIds;
import org.saeatlas.ingest.store.Rows;

/** Reads the inputs of one SAE of an atlas file into a {@link SaeInput}, as {@code ./atlas build --sae} does. */
final class SaeTaskInput {

    private SaeTaskInput() {
    }

    static SaeInput read(AtlasFile.Sae s, ComputeEngine engine, int threads, PrintStream out) {
        AtlasFile.Inputs in = s.inputs();
        SaeWeights weights = in.saelens() == null ? null : SaeLensFolder.read(in.saelens());
        ErrorStatistics errors = null;
        SparseActivations x;
        ActivationFiles.Source source = null;
        if (in.residuals() != null) {
            EncodeResult encoded = encode(s, weights, engine, threads, out);
            x = encoded.activations();
            errors = encoded.statistics();
        } else {
            source = ActivationFiles.readSource(in.activations());
            x = source.activations();
        }
        if (weights != null && weights.dSae() != x.featureCount()) {
            throw new AtlasException("SAE " + s.id() + ": " + in.activations() + " has " + x.featureCount()
                    + " feature columns but the SAE in " + in.saelens() + " declares d_sae=" + weights.dSae());
        }
        if (s.width() != null && s.width() != x.featureCount()) {
            throw new AtlasException("SAE " + s.id() + ": the atlas file says width " + s.width() + " but "
                    + (in.activations() != null ? in.activations() : in.residuals()) + " has " + x.featureCount()
                    + " feature columns");
        }
        SaeInputs.Annotations notes = SaeInputs.annotations(in.explanations(), in.examples(), in.vocab());
        List<Rows.ExampleRow> ex = new ArrayList<>(notes.examples());
        if (in.tokens() != null) {
            source = TokenIds.attach(in.tokens(), x);
        }
        if (in.vocab() != null) {
            if (source == null || source.tokens() == null) {
                throw new AtlasException("SAE " + s.id() + ": vocab needs token ids: give tokens, or activations from"
                        + " a delphi cache saved with tokens");
            }
            int made = SaeInputs.addTokenExamples(ex, in.tokens() != null ? in.tokens() : in.activations(), source,
                    in.vocab(), s.settings().examplesPerFeature(), s.settings().exampleBefore(),
                    s.settings().exampleAfter());
            out.printf(Locale.ROOT, "made %,d activating examples with %s%n", made, in.vocab());
        }
        Rows.SaeRow row = SaeInputs.saeRow(s.id(), s.model(), s.release(), s.layer(), s.hookPoint(), x.featureCount(),
                s.seed(), s.architecture(), weights, errors);
        List<Rows.ExplanationRow> expl = notes.explanations();
        return new SaeInput(row, x, weights != null ? weights.wDec() : null, expl, ex, Checksums.of(x),
                notes.logits());
    }

    static EncodeResult encode(AtlasFile.Sae s, SaeWeights weights, ComputeEngine engine, int threads,
                               PrintStream out) {
        int batch = s.settings().encodeBatch();
        ResidualFiles file = ResidualFiles.open(s.inputs().residuals(), s.settings().residualTensor(), weights.dIn(),
                batch);
        EncodeParameters defaults = EncodeParameters.defaults();
        EncodeParameters params = new EncodeParameters(batch, defaults.blockSize(), Math.max(1, threads));
        out.printf(Locale.ROOT, "encoding %,d tokens of %s through the SAE (d_in=%d, d_sae=%d), engine %s%n",
                file.tokens(), s.inputs().residuals(), weights.dIn(), weights.dSae(), engine.name());
        EncodeResult r = engine.encoder(weights, params).encode(file, file.tokens(), new ProgressPrinter(out));
        ErrorStatistics st = r.statistics();
        out.printf(Locale.ROOT, "encoded: mean L0 %.2f, FVU %.4f, mean error norm %.4g%n", st.meanL0(), st.fvu(),
                st.meanErrorNorm());
        return r;
    }
}
