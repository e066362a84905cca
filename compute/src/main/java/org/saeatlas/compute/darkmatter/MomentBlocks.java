package org.saeatlas.compute.darkmatter;

/**
 * The two {@code d x d} sums of one side of the error statistics' split, fed a block of tokens at a time: the lower
 * triangle of {@code sum X^T X} and the whole of {@code sum X^T E}, for row-major float blocks {@code X, E: rows x d}
 * (only the first {@code rows * d} values count). Sums are float64; an engine may form each block's products in
 * float32 ({@code compute-djl}: one matmul {@code X^T [X_1 | E]} plus {@code X_2^T X_2} for the column halves
 * {@code X_1, X_2}, i.e. {@code 1.75 d^2} multiply-adds a token instead of {@code 2 d^2}). May hold native memory:
 * close it.
 */
public interface MomentBlocks extends AutoCloseable {

    /** Adds the block's {@code X^T X} (lower triangle) and {@code X^T E}. */
    void add(float[] x, float[] e, int rows);

    /** As {@link #add} for double blocks, in float64 throughout. */
    void addDouble(double[] x, double[] e, int rows);

    /** {@code sum X^T X}, row-major {@code d x d}: the lower triangle ({@code j <= i}) is right, the upper is not read. */
    double[] xx();

    /** {@code sum X^T E}, row-major {@code d x d}. */
    double[] xe();

    /** Where the products run ("java", "djl-cpu", ...). */
    String name();

    @Override
    void close();

    /** The two sums as two {@link GramAccumulator}s (symmetric for {@code X^T X}): what any engine can do. */
    static MomentBlocks of(GramAccumulator xx, GramAccumulator xe) {
        return new MomentBlocks() {
            @Override
            public void add(float[] x, float[] e, int rows) {
                xx.addFloat(x, x, rows, true);
                xe.addFloat(x, e, rows, false);
            }

            @Override
            public void addDouble(double[] x, double[] e, int rows) {
                xx.add(x, x, rows, true);
                xe.add(x, e, rows, false);
            }

            @Override
            public double[] xx() {
                return xx.sum();
            }

            @Override
            public double[] xe() {
                return xe.sum();
            }

            @Override
            public String name() {
                return xx.name();
            }

            @Override
            public void close() {
                xx.close();
                xe.close();
            }
        };
    }
}
