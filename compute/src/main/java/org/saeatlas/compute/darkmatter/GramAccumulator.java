package org.saeatlas.compute.darkmatter;

/**
 * Accumulates {@code sum over batches of A^T B} ({@code d x d}, double precision) for row-major batches
 * {@code A, B: rows x d}: the dense step of {@link ErrorMoments} ({@code 2 rows d^2} flops a batch), which an engine
 * may run natively ({@code compute-djl}: one PyTorch float64 matmul a batch, the sum kept on the device). The Java
 * one ({@link #inJava}) is the reference. May hold native memory: close it.
 */
public interface GramAccumulator extends AutoCloseable {

    /**
     * Adds {@code a^T b} for {@code rows} rows. With {@code symmetric} ({@code a == b}) only the lower triangle
     * ({@code j <= i}) of the result must be right.
     */
    void add(double[] a, double[] b, int rows, boolean symmetric);

    /**
     * Adds {@code a^T b} for {@code rows} rows of float inputs (only the first {@code rows * d} values count). An
     * engine may form the products in float (DJL: one float32 matmul, then added to the float64 sum); the Java one
     * multiplies in double. The default widens to double and calls {@link #add(double[], double[], int, boolean)}.
     */
    default void addFloat(float[] a, float[] b, int rows, boolean symmetric) {
        double[] ad = new double[a.length];
        for (int i = 0; i < ad.length; i++) {
            ad[i] = a[i];
        }
        double[] bd = ad;
        if (a != b) {
            bd = new double[b.length];
            for (int i = 0; i < bd.length; i++) {
                bd[i] = b[i];
            }
        }
        add(ad, bd, rows, symmetric);
    }

    /** The sum so far, row-major {@code d x d} (lower triangle only for a symmetric accumulator). */
    double[] sum();

    /** A short name for messages, e.g. "java" or "djl-cpu". */
    String name();

    @Override
    void close();

    /**
     * How an engine runs the error statistics' dense steps: accumulators for {@code d x d} sums ({@link #create}),
     * one side's pair of moment sums ({@link #moments}: by default two accumulators; an engine may fuse them) and the
     * fit's {@code O(d^3)} algebra ({@link #solver}: by default plain Java).
     */
    @FunctionalInterface
    interface Factory {
        GramAccumulator create(int d);

        /** The lower triangle of {@code sum X^T X} and {@code sum X^T E} of one side, from float blocks. */
        default MomentBlocks moments(int d) {
            GramAccumulator xx = create(d);
            try {
                return MomentBlocks.of(xx, create(d));
            } catch (RuntimeException e) {
                xx.close();
                throw e;
            }
        }

        /** Solves the fit's ridge system and its held-out trace. */
        default RidgeSolver solver() {
            return RidgeSolver.JAVA;
        }
    }

    /** The plain-Java accumulator: blocked rank-k updates on {@code pool}. */
    static GramAccumulator inJava(int d, java.util.concurrent.ForkJoinPool pool) {
        double[] c = new double[d * d];
        return new GramAccumulator() {
            @Override
            public void add(double[] a, double[] b, int rows, boolean symmetric) {
                Dense.rankUpdate(pool, c, a, b, rows, d, symmetric);
            }

            @Override
            public void addFloat(float[] a, float[] b, int rows, boolean symmetric) {
                Dense.rankUpdate(pool, c, a, b, rows, d, symmetric);
            }

            @Override
            public double[] sum() {
                return c;
            }

            @Override
            public String name() {
                return "java";
            }

            @Override
            public void close() {
                // nothing native
            }
        };
    }
}
