package org.saeatlas.compute.sae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;

class SaeWeightsTest {
    @Test
    void validatesShapesAndArchitectureFields() {
        float[] enc = {1, 2, 3, 4, 5, 6};
        float[] dec = {1, 2, 3, 4, 5, 6};
        SaeWeights w = new SaeWeights(SaeArchitecture.STANDARD, 2, 3, enc, dec, new float[3], new float[2], null,
                null, true, "gpt2", "blocks.0.hook_resid_pre", "float32");
        assertArrayEquals(new float[] {3, 4}, w.decoderRow(1));
        AtlasException e = assertThrows(AtlasException.class, () -> new SaeWeights(SaeArchitecture.STANDARD, 2, 4,
                enc, dec, new float[4], new float[2], null, null, true, null, null, "float32"));
        assertTrue(e.getMessage().contains("W_enc must hold d_in x d_sae = 2 x 4 = 8 values, found 6"));
        assertThrows(AtlasException.class, () -> new SaeWeights(SaeArchitecture.JUMPRELU, 2, 3, enc, dec,
                new float[3], new float[2], null, null, true, null, null, "float32"));
        assertThrows(AtlasException.class, () -> new SaeWeights(SaeArchitecture.TOPK, 2, 3, enc, dec,
                new float[3], new float[2], null, 4, true, null, null, "float32"));
        float[] bad = {1, 2, Float.POSITIVE_INFINITY, 4, 5, 6};
        assertThrows(AtlasException.class, () -> new SaeWeights(SaeArchitecture.STANDARD, 2, 3, bad, dec,
                new float[3], new float[2], null, null, true, null, null, "float32"));
    }
}
