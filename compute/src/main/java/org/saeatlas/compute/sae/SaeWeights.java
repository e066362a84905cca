package org.saeatlas.compute.sae;

import org.saeatlas.errors.AtlasException;

/**
 * The weights of one sparse autoencoder, as float32 row-major arrays: {@code wEnc [dIn, dSae]}, {@code wDec
 * [dSae, dIn]} (row f is feature f's decoder direction), {@code bEnc [dSae]}, {@code bDec [dIn]}; {@code threshold
 * [dSae]} for JumpReLU (else null), {@code k} for top-k (else null). {@code dtype} is the storage type the weights
 * were read from (e.g. "float32", "bfloat16"); {@code modelName}/{@code hookName} say where the SAE reads from.
 * All values must be finite.
 */
public record SaeWeights(SaeArchitecture architecture, int dIn, int dSae, float[] wEnc, float[] wDec, float[] bEnc,
        float[] bDec, float[] threshold, Integer k, boolean applyBDecToInput, String modelName, String hookName,
        String dtype) {

    public SaeWeights {
        if (architecture == null) {
            throw new AtlasException("SAE weights: architecture must be given (standard, jumprelu or topk)");
        }
        if (dIn <= 0 || dSae <= 0) {
            throw new AtlasException("SAE weights: d_in and d_sae must be positive, found d_in=" + dIn
                    + ", d_sae=" + dSae);
        }
        long cells = (long) dIn * dSae;
        check("W_enc", wEnc, cells, "d_in x d_sae = " + dIn + " x " + dSae);
        check("W_dec", wDec, cells, "d_sae x d_in = " + dSae + " x " + dIn);
        check("b_enc", bEnc, dSae, "d_sae = " + dSae);
        check("b_dec", bDec, dIn, "d_in = " + dIn);
        if (architecture == SaeArchitecture.JUMPRELU) {
            if (threshold == null) {
                throw new AtlasException("SAE weights: a JumpReLU SAE needs a threshold tensor of d_sae=" + dSae
                        + " values, found none");
            }
            check("threshold", threshold, dSae, "d_sae = " + dSae);
        } else if (threshold != null) {
            throw new AtlasException("SAE weights: a threshold is only meaningful for JumpReLU, found one for "
                    + architecture);
        }
        if (architecture == SaeArchitecture.TOPK && (k == null || k < 1 || k > dSae)) {
            throw new AtlasException("SAE weights: a top-k SAE needs k in [1, d_sae=" + dSae + "], found " + k);
        }
        if (architecture != SaeArchitecture.TOPK && k != null) {
            throw new AtlasException("SAE weights: k is only meaningful for top-k, found k=" + k + " for "
                    + architecture);
        }
    }

    private static void check(String name, float[] values, long expected, String what) {
        if (values == null || values.length != expected) {
            throw new AtlasException("SAE weights: " + name + " must hold " + what + " = " + expected
                    + " values, found " + (values == null ? "none" : values.length));
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new AtlasException("SAE weights: " + name + " element " + i + " is " + values[i]
                        + " (expected a finite number)");
            }
        }
    }

    /** A copy of feature {@code f}'s decoder direction (row f of W_dec). */
    public float[] decoderRow(int f) {
        float[] out = new float[dIn];
        System.arraycopy(wDec, f * dIn, out, 0, dIn);
        return out;
    }
}
