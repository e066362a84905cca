package org.saeatlas.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.saeatlas.compute.darkmatter.DarkMatter;
import org.saeatlas.compute.darkmatter.DarkMatterParameters;
import org.saeatlas.compute.darkmatter.DarkMatterResult;
import org.saeatlas.compute.darkmatter.ErrorMoments;
import org.saeatlas.compute.darkmatter.GramAccumulator;

/** The PyTorch sums of A^T B against their definition, and the error statistics on DJL equal to the Java ones. */
class DjlGramAccumulatorTest {
    static DjlEngine engine;

    @BeforeAll
    static void load() {
        engine = TestEngines.cpu();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void sumsOfProductsOverBatchesMatchTheDefinition() {
        int d = 13;
        Random rnd = new Random(9);
        double[][] as = new double[3][];
        double[][] bs = new double[3][];
        int[] rows = {5, 1, 7};
        double[] expected = new double[d * d];
        try (GramAccumulator g = engine.gram().create(d)) {
            for (int k = 0; k < 3; k++) {
                as[k] = new double[rows[k] * d + 3]; // longer than needed: only rows * d values count
                bs[k] = new double[rows[k] * d];
                for (int i = 0; i < as[k].length; i++) {
                    as[k][i] = rnd.nextGaussian();
                }
                for (int i = 0; i < bs[k].length; i++) {
                    bs[k][i] = rnd.nextGaussian();
                }
                g.add(as[k], bs[k], rows[k], false);
                for (int t = 0; t < rows[k]; t++) {
                    for (int i = 0; i < d; i++) {
                        for (int j = 0; j < d; j++) {
                            expected[i * d + j] += as[k][t * d + i] * bs[k][t * d + j];
                        }
                    }
                }
            }
            double[] got = g.sum();
            for (int i = 0; i < d * d; i++) {
                assertEquals(expected[i], got[i], 1e-12, "cell " + i);
            }
        }
    }

    /** Float inputs: float32 products a batch, float64 sum, against the definition in double. */
    @Test
    void floatBatchesSumToTheDefinition() {
        int d = 13;
        Random rnd = new Random(10);
        double[] expected = new double[d * d];
        try (GramAccumulator g = engine.gram().create(d)) {
            for (int rows : new int[] {5, 1, 7}) {
                float[] a = new float[rows * d + 2]; // longer than needed: only rows * d values count
                float[] b = new float[rows * d];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) rnd.nextGaussian();
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) rnd.nextGaussian();
                }
                g.addFloat(a, b, rows, false);
                for (int t = 0; t < rows; t++) {
                    for (int i = 0; i < d; i++) {
                        for (int j = 0; j < d; j++) {
                            expected[i * d + j] += (double) a[t * d + i] * b[t * d + j];
                        }
                    }
                }
            }
            double[] got = g.sum();
            for (int i = 0; i < d * d; i++) {
                assertEquals(expected[i], got[i], 1e-5, "cell " + i);
            }
        }
    }

    @Test
    void errorStatisticsOnDjlEqualTheJavaOnes() {
        int d = 20;
        int tokens = 3000;
        Random rnd = new Random(4);
        float[] x = new float[tokens * d];
        float[] xHat = new float[tokens * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
            xHat[i] = (float) (Math.max(0, x[i]) * 0.9);
        }
        DarkMatterResult[] r = new DarkMatterResult[2];
        for (int k = 0; k < 2; k++) {
            try (ErrorMoments m = new ErrorMoments(d, new DarkMatterParameters(0.25, 1e-4, 1, 2), null,
                    k == 0 ? null : engine.gram())) {
                for (int t = 0; t < tokens; t += 500) {
                    m.batch(t, java.util.Arrays.copyOfRange(x, t * d, (t + 500) * d),
                            java.util.Arrays.copyOfRange(xHat, t * d, (t + 500) * d), 500);
                }
                assertEquals(k == 0 ? "java" : engine.name(), m.engine());
                r[k] = DarkMatter.fit(m);
            }
        }
        // DJL forms the products in float32 (a block's sum: relative ~1e-7 x sqrt(rows)), Java in double
        assertEquals(r[0].errorLinearR2(), r[1].errorLinearR2(), 1e-5);
        assertEquals(r[0].errorNormProbeR2(), r[1].errorNormProbeR2(), 1e-5);
        assertEquals(r[0].nonlinearFvu(), r[1].nonlinearFvu(), 1e-5);
        assertEquals(r[0].heldOutTokens(), r[1].heldOutTokens());
    }
}
