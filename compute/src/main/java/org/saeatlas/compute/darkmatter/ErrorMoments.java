package org.saeatlas.compute.darkmatter;

import java.util.concurrent.ForkJoinPool;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.sae.ReconstructionSink;

/**
 * Streaming sufficient statistics of an SAE's input {@code x} and error {@code e = x - x_hat}, separately for the
 * training and the held-out tokens ({@link DarkMatterParameters#heldOut}): what {@link DarkMatter} needs to fit and
 * score the linear maps {@code x -> e} and {@code x -> ||e||^2} without holding a single token.
 *
 * <p>Per side, with {@code x~ = x - m} (m: the column means of the first batch, a fixed shift that keeps the sums
 * well conditioned): the count n, {@code sum x~}, {@code sum e}, {@code sum x~ x~^T} (lower triangle),
 * {@code sum x~ e^T}, {@code sum ||e||^2}, and for {@code y = ||e||^2}: {@code sum y}, {@code sum y^2},
 * {@code sum x~ y}, in token order (deterministic at any thread count). The sums are double; from the encoder
 * ({@link #batch}) each side gathers a block of tokens ({@link #TRAIN_BLOCK} = 4,096 training, {@link
 * #HELD_OUT_BLOCK} = 2,048 held-out: the larger the block, the less each token pays for adding a product to the
 * float64 sums) of {@code x~} and {@code e} in float and then adds their two {@code d x d} products at once through
 * the engine's {@link MomentBlocks} (on DJL float32 matmuls of the block's rows without the upper triangle of
 * {@code x~^T x~}, added to float64 sums; in Java double products of the float values). The float rounding of
 * {@code x~} and {@code e} and a block's float32 sum (relative ~1e-7 x sqrt(4,096)) do not grow with the number of
 * tokens. {@link #add} keeps everything in double.
 *
 * <p>Cost per token: {@code 1.5 d^2} multiply-adds (d = d_in; 8 M at d = 2,304) in Java, {@code 1.625 d^2} on DJL
 * at BLAS speed; {@code O(d)} in Java for the vectors and the float blocks. Nothing is allocated per batch (the two
 * sides' float blocks, 2 x (4,096 + 2,048) x d floats = 113 MB at d = 2,304, are reused). Memory: about four
 * {@code d x d} double matrices ({@code 32 d^2} bytes: 170 MB at d = 2,304; native on DJL until the fit) plus the
 * blocks and one batch, whatever the number of tokens.
 */
public final class ErrorMoments implements ReconstructionSink, AutoCloseable {
    private final int d;
    private final DarkMatterParameters params;
    private final ForkJoinPool pool;
    private final GramAccumulator.Factory gram;
    private double[] shift;
    final Side train;
    final Side heldOut;
    private boolean consumed;
    /** Training tokens gathered before their {@code d x d} products are formed (matmuls of this many rows). */
    static final int TRAIN_BLOCK = 4096;
    /** The same for the held-out side (a fifth of the tokens by default, so about as many blocks as training). */
    static final int HELD_OUT_BLOCK = 2048;
    /** Per side, the block's shifted inputs and errors in float, and how many tokens it holds. */
    private final float[][] xf = new float[2][];
    private final float[][] ef = new float[2][];
    private final int[] filled = new int[2];
    /** Wall time spent in {@link #batch} and the last blocks' products, for the build's report. */
    private long nanos;

    /** The sums of one side of the split; the d x d ones in accumulators until {@link #finish}. */
    static final class Side {
        long n;
        final double[] sx;
        final double[] se;
        final double[] sxy;
        final MomentBlocks sums;
        double[] sxx;
        double[] sxe;
        double ee;
        double sy;
        double syy;

        Side(int d, GramAccumulator.Factory gram) {
            sx = new double[d];
            se = new double[d];
            sxy = new double[d];
            sums = gram.moments(d);
        }

        void finish() {
            sxx = sums.xx();
            sxe = sums.xe();
            sums.close();
        }
    }

    /** Empty sums for inputs of {@code dIn} dimensions; the shift is taken from the first batch. */
    public ErrorMoments(int dIn, DarkMatterParameters params) {
        this(dIn, params, null);
    }

    /** Empty sums with a given shift {@code m} (length dIn), e.g. a known mean; null: the first batch's means. */
    public ErrorMoments(int dIn, DarkMatterParameters params, double[] shift) {
        this(dIn, params, shift, null);
    }

    /**
     * Empty sums whose {@code d x d} products run in accumulators from {@code gram} (null: plain Java), e.g. an
     * engine's native ones.
     */
    public ErrorMoments(int dIn, DarkMatterParameters params, double[] shift, GramAccumulator.Factory gram) {
        if (dIn < 1) {
            throw new AtlasException("error statistics: d_in must be >= 1, found " + dIn);
        }
        if ((long) dIn * dIn > Integer.MAX_VALUE - 8) {
            throw new AtlasException("error statistics: d_in=" + dIn + " is too large for dense d_in x d_in sums");
        }
        if (shift != null && shift.length != dIn) {
            throw new AtlasException("error statistics: the shift has " + shift.length + " values, expected d_in="
                    + dIn);
        }
        this.d = dIn;
        this.params = params;
        this.pool = new ForkJoinPool(params.threads());
        this.shift = shift == null ? null : shift.clone();
        this.gram = gram != null ? gram : dd -> GramAccumulator.inJava(dd, pool);
        this.train = new Side(dIn, this.gram);
        Side h;
        try {
            h = new Side(dIn, this.gram);
        } catch (RuntimeException e) {
            train.sums.close();
            pool.shutdown();
            throw e;
        }
        this.heldOut = h;
    }

    public int dIn() {
        return d;
    }

    public DarkMatterParameters parameters() {
        return params;
    }

    /** Tokens on the training side so far. */
    public long trainTokens() {
        return train.n;
    }

    /** Tokens on the held-out side so far. */
    public long heldOutTokens() {
        return heldOut.n;
    }

    @Override
    public void batch(long firstToken, float[] x, float[] xHat, int rows) {
        long t0 = System.nanoTime();
        try {
            gather(firstToken, x, xHat, rows);
        } finally {
            nanos += System.nanoTime() - t0;
        }
    }

    /** Seconds spent on the moments so far (on the encoder's thread, beside the encoding). */
    public double seconds() {
        return nanos / 1e9;
    }

    private void gather(long firstToken, float[] x, float[] xHat, int rows) {
        if (x.length < (long) rows * d || xHat.length < (long) rows * d) {
            throw new AtlasException("error statistics: a batch of " + rows + " tokens needs " + (long) rows * d
                    + " values of x and x_hat, found " + x.length + " and " + xHat.length);
        }
        if (shift == null && rows > 0) {
            shift = new double[d];
            for (int t = 0; t < rows; t++) {
                for (int c = 0; c < d; c++) {
                    shift[c] += x[t * d + c];
                }
            }
            for (int c = 0; c < d; c++) {
                shift[c] /= rows;
            }
        }
        if (consumed) {
            throw new AtlasException("error statistics: these sums were already used by a fit");
        }
        for (int t = 0; t < rows; t++) {
            int side = params.heldOut(firstToken + t) ? 1 : 0;
            Side s = side == 0 ? train : heldOut;
            if (xf[side] == null) {
                xf[side] = new float[block(side) * d];
                ef[side] = new float[block(side) * d];
            }
            float[] xs = xf[side];
            float[] es = ef[side];
            int o = filled[side] * d;
            int p = t * d;
            // first the block's float values, ||e||^2 (four partial sums) and a finiteness check (a non-finite
            // value makes a sum non-finite; finite floats cannot overflow a double sum of d_in terms), then the
            // sums: two simple loops the JIT vectorises, and nothing is added from a token that is rejected
            double e0 = 0, e1 = 0, e2 = 0, e3 = 0;
            double check = 0;
            int c = 0;
            for (; c + 4 <= d; c += 4) {
                double x0 = x[p + c], x1 = x[p + c + 1], x2 = x[p + c + 2], x3 = x[p + c + 3];
                double v0 = x0 - xHat[p + c], v1 = x1 - xHat[p + c + 1], v2 = x2 - xHat[p + c + 2],
                        v3 = x3 - xHat[p + c + 3];
                double u0 = x0 - shift[c], u1 = x1 - shift[c + 1], u2 = x2 - shift[c + 2], u3 = x3 - shift[c + 3];
                xs[o + c] = (float) u0;
                xs[o + c + 1] = (float) u1;
                xs[o + c + 2] = (float) u2;
                xs[o + c + 3] = (float) u3;
                es[o + c] = (float) v0;
                es[o + c + 1] = (float) v1;
                es[o + c + 2] = (float) v2;
                es[o + c + 3] = (float) v3;
                e0 += v0 * v0;
                e1 += v1 * v1;
                e2 += v2 * v2;
                e3 += v3 * v3;
                check += (u0 + u1) + (u2 + u3);
            }
            for (; c < d; c++) {
                double xv = x[p + c] - shift[c];
                double ev = (double) x[p + c] - xHat[p + c];
                xs[o + c] = (float) xv;
                es[o + c] = (float) ev;
                e0 += ev * ev;
                check += xv;
            }
            double ee = (e0 + e1) + (e2 + e3);
            if (!Double.isFinite(ee) || !Double.isFinite(check)) {
                for (c = 0; c < d; c++) {
                    if (!Double.isFinite(x[p + c] - shift[c]) || !Double.isFinite((double) x[p + c] - xHat[p + c])) {
                        throw new AtlasException("error statistics: a token has a non-finite input or error at column "
                                + c + " (x=" + x[p + c] + ", x_hat=" + xHat[p + c] + ")");
                    }
                }
            }
            double[] sx = s.sx;
            double[] se = s.se;
            double[] sxy = s.sxy;
            for (c = 0; c < d; c++) {
                double xv = x[p + c] - shift[c];
                sx[c] += xv;
                se[c] += (double) x[p + c] - xHat[p + c];
                sxy[c] += xv * ee;
            }
            s.ee += ee;
            s.sy += ee;
            s.syy += ee * ee;
            s.n++;
            if (++filled[side] == block(side)) {
                flush(side);
            }
        }
    }

    private static int block(int side) {
        return side == 0 ? TRAIN_BLOCK : HELD_OUT_BLOCK;
    }

    /** Forms the products of one side's gathered block (float inputs; the sums stay double). */
    private void flush(int side) {
        if (filled[side] > 0) {
            Side s = side == 0 ? train : heldOut;
            s.sums.add(xf[side], ef[side], filled[side]);
            filled[side] = 0;
        }
    }

    /**
     * Adds {@code rows} tokens to one side directly: {@code x} and {@code e} row-major {@code rows x d_in} (the
     * arrays are overwritten). The split is the caller's: for tests and for callers with their own split.
     */
    public void add(double[] x, double[] e, int rows, boolean toHeldOut) {
        if (x.length < (long) rows * d || e.length < (long) rows * d) {
            throw new AtlasException("error statistics: " + rows + " tokens need " + (long) rows * d
                    + " values of x and e, found " + x.length + " and " + e.length);
        }
        if (shift == null) {
            shift = new double[d];
        }
        addShifted(toHeldOut ? heldOut : train, x, e, rows);
    }

    private void addShifted(Side s, double[] x, double[] e, int rows) {
        if (consumed) {
            throw new AtlasException("error statistics: these sums were already used by a fit");
        }
        if (rows == 0) {
            return;
        }
        double[] y = new double[rows];
        for (int t = 0; t < rows; t++) {
            int o = t * d;
            double ee = 0;
            for (int c = 0; c < d; c++) {
                double xv = x[o + c] - shift[c];
                double ev = e[o + c];
                if (!Double.isFinite(xv) || !Double.isFinite(ev)) {
                    throw new AtlasException("error statistics: a token has a non-finite input or error at column "
                            + c + " (x=" + x[o + c] + ", e=" + ev + ")");
                }
                x[o + c] = xv;
                s.sx[c] += xv;
                s.se[c] += ev;
                ee += ev * ev;
            }
            y[t] = ee;
            s.ee += ee;
            s.sy += ee;
            s.syy += ee * ee;
            for (int c = 0; c < d; c++) {
                s.sxy[c] += x[o + c] * ee;
            }
        }
        s.n += rows;
        s.sums.addDouble(x, e, rows);
    }

    /** Marks the sums as used (a fit works in place on them). */
    void consume() {
        if (consumed) {
            throw new AtlasException("error statistics: these sums were already used by a fit");
        }
        consumed = true;
        long t0 = System.nanoTime();
        flush(0);
        flush(1);
        nanos += System.nanoTime() - t0;
        train.finish();
        heldOut.finish();
    }

    /** Where the d x d products ran ("java", "djl-cpu", ...). */
    public String engine() {
        return train.sums.name();
    }

    ForkJoinPool pool() {
        return pool;
    }

    /** The fit's solver on the same engine as the products. */
    RidgeSolver solver() {
        return gram.solver();
    }

    @Override
    public void close() {
        if (!consumed) {
            train.sums.close();
            heldOut.sums.close();
        }
        pool.shutdown();
    }
}
