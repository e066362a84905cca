package org.saeatlas.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.saeatlas.compute.darkmatter.DarkMatter;
import org.saeatlas.compute.darkmatter.DarkMatterParameters;
import org.saeatlas.compute.darkmatter.DarkMatterResult;
import org.saeatlas.compute.darkmatter.ErrorMoments;
import org.saeatlas.compute.darkmatter.GramAccumulator;
import org.saeatlas.compute.darkmatter.MomentBlocks;
import org.saeatlas.compute.darkmatter.RidgeSolver;
import org.saeatlas.errors.AtlasException;

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

    /**
     * The fused blocks ({@code X^T [X_1 | E]} and {@code X_2^T X_2}) against the definition, at an odd and an even d:
     * every lower cell of {@code X^T X} (both halves and the corner) and every cell of {@code X^T E}.
     */
    @Test
    void fusedMomentBlocksSumToTheDefinition() {
        for (int d : new int[] {2, 13, 20}) {
            Random rnd = new Random(d);
            double[] xx = new double[d * d];
            double[] xe = new double[d * d];
            try (MomentBlocks g = engine.gram().moments(d)) {
                assertEquals(engine.name(), g.name());
                for (int rows : new int[] {5, 1, 7}) {
                    float[] x = new float[rows * d + 2]; // longer than needed: only rows * d values count
                    float[] e = new float[rows * d + 1];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) rnd.nextGaussian();
                    }
                    for (int i = 0; i < e.length; i++) {
                        e[i] = (float) rnd.nextGaussian();
                    }
                    g.add(x, e, rows);
                    for (int t = 0; t < rows; t++) {
                        for (int i = 0; i < d; i++) {
                            for (int j = 0; j < d; j++) {
                                xx[i * d + j] += (double) x[t * d + i] * x[t * d + j];
                                xe[i * d + j] += (double) x[t * d + i] * e[t * d + j];
                            }
                        }
                    }
                }
                double[] x2 = new double[3 * d];
                double[] e2 = new double[3 * d];
                for (int i = 0; i < x2.length; i++) {
                    x2[i] = rnd.nextGaussian();
                    e2[i] = rnd.nextGaussian();
                }
                g.addDouble(x2, e2, 3);
                for (int t = 0; t < 3; t++) {
                    for (int i = 0; i < d; i++) {
                        for (int j = 0; j < d; j++) {
                            xx[i * d + j] += x2[t * d + i] * x2[t * d + j];
                            xe[i * d + j] += x2[t * d + i] * e2[t * d + j];
                        }
                    }
                }
                double[] gotXx = g.xx();
                double[] gotXe = g.xe();
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j <= i; j++) {
                        assertEquals(xx[i * d + j], gotXx[i * d + j], 1e-5, "d=" + d + " x^T x cell " + i + "," + j);
                    }
                    for (int j = 0; j < d; j++) {
                        assertEquals(xe[i * d + j], gotXe[i * d + j], 1e-5, "d=" + d + " x^T e cell " + i + "," + j);
                    }
                }
            }
        }
    }

    /** PyTorch's fit (inverse and matmuls, float64) equals the Java Cholesky one on an ill-conditioned system. */
    @Test
    void solverOnDjlEqualsTheJavaCholesky() {
        int d = 40;
        Random rnd = new Random(21);
        double[] g = new double[d * d];
        for (int i = 0; i < g.length; i++) {
            g[i] = rnd.nextGaussian();
        }
        // A = G diag(10^(-4 .. 4)) G^T + 1e-3 I: condition number ~1e9
        double[] a = new double[d * d];
        double[] s = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double v = 0;
                double u = 0;
                for (int k = 0; k < d; k++) {
                    v += g[i * d + k] * g[j * d + k] * Math.pow(10, -4 + 8.0 * k / (d - 1));
                    u += g[i * d + k] * g[j * d + k];
                }
                a[i * d + j] = v + (i == j ? 1e-3 : 0);
                s[i * d + j] = u;
            }
        }
        double[] b = new double[d * d];
        double[] c = new double[d];
        for (int i = 0; i < b.length; i++) {
            b[i] = rnd.nextGaussian();
        }
        for (int i = 0; i < d; i++) {
            c[i] = rnd.nextGaussian();
        }
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(2);
        try {
            double[] bJava = b.clone();
            double[] cJava = c.clone();
            double qJava = RidgeSolver.JAVA.solve(pool, a.clone(), bJava, cJava, s, d);
            double[] upperGarbage = a.clone();
            for (int i = 0; i < d; i++) {
                for (int j = i + 1; j < d; j++) {
                    upperGarbage[i * d + j] = 123; // only the lower triangle may be read
                }
            }
            double qDjl = engine.gram().solver().solve(pool, upperGarbage, b, c, s, d);
            assertEquals(qJava, qDjl, 1e-6 * Math.abs(qJava));
            for (int i = 0; i < b.length; i++) {
                assertEquals(bJava[i], b[i], 1e-6 * (1 + Math.abs(bJava[i])), "W cell " + i);
            }
            for (int i = 0; i < d; i++) {
                assertEquals(cJava[i], c[i], 1e-6 * (1 + Math.abs(cJava[i])), "w " + i);
            }
        } finally {
            pool.shutdown();
        }
    }

    /** A singular matrix: PyTorch's inverse fails, the Java fallback names the problem. */
    @Test
    void singularSystemFallsBackToJavaAndSaysSo() {
        int d = 3;
        double[] a = {1, 0, 0, 1, 1, 0, 0, 0, 0}; // lower triangle of [[1,1,0],[1,1,0],[0,0,0]]
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(1);
        try {
            AtlasException e = assertThrows(AtlasException.class, () -> engine.gram().solver().solve(pool, a,
                    new double[d * d], new double[d], new double[d * d], d));
            assertTrue(e.getMessage().contains("not positive definite"), e.getMessage());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void errorStatisticsOnDjlEqualTheJavaOnes() {
        int d = 20;
        int tokens = 10_000; // several full blocks on both sides (4,096 training, 2,048 held-out tokens)
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
