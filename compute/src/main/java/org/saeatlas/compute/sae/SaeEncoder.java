package org.saeatlas.compute.sae;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;

/**
 * Encodes residual-stream activations through a sparse autoencoder, as SAELens does, and measures the
 * reconstruction error.
 *
 * <p>Method, per token {@code x} (row of a batch): {@code z = (x - b_dec [if apply_b_dec_to_input]) W_enc + b_enc},
 * then the architecture's activation: standard {@code f = relu(z)}; JumpReLU {@code f = relu(z) * [z > threshold]}
 * (SAELens' {@code JumpReLU}); top-k: the k largest {@code z} (ties to the smaller feature index), then relu. The
 * reconstruction is {@code x_hat = f W_dec + b_dec} and {@link ErrorStatistics} reports L0, FVU and the error norm.
 *
 * <p>Cost: O(T d_in d_sae) multiply-adds for the encoder (2 d_in d_sae flops a token: 75 Mflop at d_in = 2,304,
 * d_sae = 16,384) and O(T L0 d_in) for the sparse decoder. Memory: the weights plus one batch of
 * {@code batchSize x d_sae} pre-activations, whatever the number of tokens; the sparse output grows with T L0.
 *
 * <p>The product {@code X W_enc} is blocked ({@code blockSize} rows of W_enc x {@code blockSize} columns, so the
 * W_enc tile stays in cache while every token of the batch passes over it; inside, 4 tokens x 4 features of running
 * sums in registers) and parallel over column blocks; activations and decoding are parallel over tokens. Every pre-activation is the float sum
 * {@code ((0 + x_0 w_0j) + x_1 w_1j) + ... + x_{d-1} w_{d-1,j}} then {@code + b_enc_j}, in that order whatever the
 * blocking or thread count, so the output equals the naive triple loop bit for bit and is the same at any thread
 * count. Float32 accumulation differs from PyTorch's (which reorders sums) by ~1e-6 relative.
 *
 * <p>The dense product can run elsewhere: give an {@link EncoderKernel} (e.g. the DJL engine's batched matmul); the
 * activation, decoding and statistics stay here, so only the rounding of z differs between kernels.
 *
 * <p>Input passes twice: once for the mean {@code mu} that FVU is measured against (cheap: O(T d_in)), once to
 * encode. Not covered: SAELens' {@code normalize_activations} scaling (apply it to the residuals first) and gated
 * SAEs.
 */
public final class SaeEncoder implements ResidualEncoder {
    private static final int TILE = 4;

    private final SaeWeights sae;
    private final EncodeParameters params;
    private final String engine;
    private final Function<SaeWeights, EncoderKernel> kernel;

    /** The pure-Java encoder (blocked product on {@code params.threads()} workers). */
    public SaeEncoder(SaeWeights sae, EncodeParameters params) {
        this(sae, params, "java", null);
    }

    /**
     * An encoder whose dense product runs in the kernel {@code kernel} makes (opened per {@link #encode} call and
     * closed after it); null for the Java product.
     */
    public SaeEncoder(SaeWeights sae, EncodeParameters params, String engine,
            Function<SaeWeights, EncoderKernel> kernel) {
        this.sae = sae;
        this.params = params;
        this.engine = engine;
        this.kernel = kernel;
    }

    @Override
    public String engine() {
        return engine;
    }

    /**
     * Encodes every token of {@code batches}: each element a row-major {@code rows x d_in} float batch (any number
     * of rows). {@code batches} is iterated twice and must give the same rows both times.
     *
     * @param tokens total rows, for progress only (-1 when unknown)
     */
    @Override
    public EncodeResult encode(Iterable<float[]> batches, long tokens, Progress progress) {
        return encode(batches, tokens, progress, null);
    }

    @Override
    public EncodeResult encode(Iterable<float[]> batches, long tokens, Progress progress, ReconstructionSink sink) {
        double[] mean = mean(batches);
        Collector out = new Collector(sae.dSae());
        ForkJoinPool pool = new ForkJoinPool(params.threads());
        try (EncoderKernel product = kernel == null ? new JavaKernel(pool) : kernel.apply(sae)) {
            float[][] z = new float[0][];
            for (float[] x : batches) {
                int rows = rows(x, out.tokens);
                if (z.length < rows) {
                    z = new float[rows][sae.dSae()];
                }
                encodeBatch(pool, product, x, rows, z, mean, out, sink);
                progress.update("encode (" + engine + ")", out.tokens, tokens);
            }
        } finally {
            pool.shutdown();
        }
        return out.result();
    }

    /** Encodes one batch already in memory ({@code x}: rows x d_in, row-major). */
    public EncodeResult encode(float[] x, Progress progress) {
        return encode(List.of(x), x.length / Math.max(1, sae.dIn()), progress);
    }

    private double[] mean(Iterable<float[]> batches) {
        int d = sae.dIn();
        double[] sum = new double[d];
        long n = 0;
        for (float[] x : batches) {
            int rows = rows(x, n);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < d; c++) {
                    float v = x[r * d + c];
                    if (!Float.isFinite(v)) {
                        throw new AtlasException("encode: residual token " + (n + r) + ", column " + c + " is " + v
                                + " (expected a finite number)");
                    }
                    sum[c] += v;
                }
            }
            n += rows;
        }
        if (n == 0) {
            throw new AtlasException("encode: no residual tokens were given (expected at least one row of d_in="
                    + d + " values)");
        }
        for (int c = 0; c < d; c++) {
            sum[c] /= n;
        }
        return sum;
    }

    private int rows(float[] x, long before) {
        if (x.length % sae.dIn() != 0) {
            throw new AtlasException("encode: a residual batch after token " + before + " holds " + x.length
                    + " values, not a whole number of rows of d_in=" + sae.dIn());
        }
        return x.length / sae.dIn();
    }

    private void encodeBatch(ForkJoinPool pool, EncoderKernel product, float[] x, int rows, float[][] z,
            double[] mean, Collector out, ReconstructionSink sink) {
        product.preActivations(centred(x), rows, z);
        Row[] done = new Row[rows];
        float[] xHat = sink == null ? null : new float[rows * sae.dIn()];
        pool.submit(() -> IntStream.range(0, rows).parallel().forEach(r -> done[r] = finish(x, r, z[r], mean, xHat)))
                .join();
        long first = out.tokens;
        for (Row r : done) {
            out.add(r);
        }
        if (sink != null) {
            sink.batch(first, x, xHat, rows);
        }
    }

    /** The blocked Java product, parallel over column blocks of W_enc. */
    private final class JavaKernel implements EncoderKernel {
        private final ForkJoinPool pool;

        JavaKernel(ForkJoinPool pool) {
            this.pool = pool;
        }

        @Override
        public void preActivations(float[] xc, int rows, float[][] z) {
            int bs = params.blockSize();
            int blocks = (sae.dSae() + bs - 1) / bs;
            pool.submit(() -> IntStream.range(0, blocks).parallel().forEach(b -> SaeEncoder.this.preActivations(xc,
                    rows, z, b * bs, Math.min(sae.dSae(), b * bs + bs)))).join();
        }

        @Override
        public String name() {
            return "java";
        }

        @Override
        public void close() {
            // nothing held
        }
    }

    private float[] centred(float[] x) {
        if (!sae.applyBDecToInput()) {
            return x;
        }
        int d = sae.dIn();
        float[] bDec = sae.bDec();
        float[] xc = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            xc[i] = x[i] - bDec[i % d];
        }
        return xc;
    }

    /** {@code z[t][j0..j1) = xc[t] W_enc[:, j0..j1)} for every token t, k blocks in ascending order. */
    private void preActivations(float[] xc, int rows, float[][] z, int j0, int j1) {
        for (int t = 0; t < rows; t++) {
            Arrays.fill(z[t], j0, j1, 0f);
        }
        int d = sae.dIn();
        int bs = params.blockSize();
        for (int k0 = 0; k0 < d; k0 += bs) {
            int k1 = Math.min(d, k0 + bs);
            int t = 0;
            for (; t + TILE <= rows; t += TILE) {
                int j = j0;
                for (; j + TILE <= j1; j += TILE) {
                    tile(xc, t, z, j, k0, k1);
                }
                for (int r = t; r < t + TILE; r++) {
                    for (int jj = j; jj < j1; jj++) {
                        z[r][jj] = dot(xc, r, jj, k0, k1, z[r][jj]);
                    }
                }
            }
            for (; t < rows; t++) {
                for (int jj = j0; jj < j1; jj++) {
                    z[t][jj] = dot(xc, t, jj, k0, k1, z[t][jj]);
                }
            }
        }
    }

    /**
     * Adds rows {@code k0..k1} of the product for tokens {@code t..t+3} and features {@code j..j+3}: sixteen running
     * sums in registers, each over k ascending (the same order as {@link #dot}), W_enc and x read once per k.
     */
    private void tile(float[] xc, int t, float[][] z, int j, int k0, int k1) {
        int d = sae.dIn();
        int p = sae.dSae();
        float[] w = sae.wEnc();
        float[] z0 = z[t];
        float[] z1 = z[t + 1];
        float[] z2 = z[t + 2];
        float[] z3 = z[t + 3];
        float s00 = z0[j], s01 = z0[j + 1], s02 = z0[j + 2], s03 = z0[j + 3];
        float s10 = z1[j], s11 = z1[j + 1], s12 = z1[j + 2], s13 = z1[j + 3];
        float s20 = z2[j], s21 = z2[j + 1], s22 = z2[j + 2], s23 = z2[j + 3];
        float s30 = z3[j], s31 = z3[j + 1], s32 = z3[j + 2], s33 = z3[j + 3];
        int x0 = t * d;
        for (int k = k0; k < k1; k++) {
            int o = k * p + j;
            float w0 = w[o], w1 = w[o + 1], w2 = w[o + 2], w3 = w[o + 3];
            float a = xc[x0 + k];
            s00 += a * w0; s01 += a * w1; s02 += a * w2; s03 += a * w3;
            a = xc[x0 + d + k];
            s10 += a * w0; s11 += a * w1; s12 += a * w2; s13 += a * w3;
            a = xc[x0 + 2 * d + k];
            s20 += a * w0; s21 += a * w1; s22 += a * w2; s23 += a * w3;
            a = xc[x0 + 3 * d + k];
            s30 += a * w0; s31 += a * w1; s32 += a * w2; s33 += a * w3;
        }
        z0[j] = s00; z0[j + 1] = s01; z0[j + 2] = s02; z0[j + 3] = s03;
        z1[j] = s10; z1[j + 1] = s11; z1[j + 2] = s12; z1[j + 3] = s13;
        z2[j] = s20; z2[j + 1] = s21; z2[j + 2] = s22; z2[j + 3] = s23;
        z3[j] = s30; z3[j + 1] = s31; z3[j + 2] = s32; z3[j + 3] = s33;
    }

    /** {@code s + sum over k in [k0, k1) ascending of xc[t][k] W_enc[k][j]}. */
    private float dot(float[] xc, int t, int j, int k0, int k1, float s) {
        int d = sae.dIn();
        int p = sae.dSae();
        float[] w = sae.wEnc();
        for (int k = k0; k < k1; k++) {
            s += xc[t * d + k] * w[k * p + j];
        }
        return s;
    }

    /** Activation, sparse row, decoding and error sums of token r of the batch. */
    private Row finish(float[] x, int r, float[] z, double[] mean, float[] xHatOut) {
        float[] bEnc = sae.bEnc();
        for (int j = 0; j < z.length; j++) {
            z[j] += bEnc[j];
        }
        Row row = switch (sae.architecture()) {
            case STANDARD -> above(z, null);
            case JUMPRELU -> above(z, sae.threshold());
            case TOPK -> topK(z, sae.k());
        };
        return errors(x, r, row, mean, xHatOut);
    }

    /** Features with {@code z > 0} and, when given, {@code z > threshold}. */
    private static Row above(float[] z, float[] threshold) {
        int n = 0;
        for (int j = 0; j < z.length; j++) {
            if (z[j] > 0 && (threshold == null || z[j] > threshold[j])) {
                n++;
            }
        }
        int[] f = new int[n];
        float[] v = new float[n];
        int at = 0;
        for (int j = 0; j < z.length; j++) {
            if (z[j] > 0 && (threshold == null || z[j] > threshold[j])) {
                f[at] = j;
                v[at++] = z[j];
            }
        }
        return new Row(f, v);
    }

    /** The k largest z (ties to the smaller index), then relu; features in ascending order. */
    static Row topK(float[] z, int k) {
        TopKList best = new TopKList(k);
        for (int j = 0; j < z.length; j++) {
            if (z[j] >= best.floor()) {
                best.offer(j, z[j]);
            }
        }
        int[] idx = new int[best.size()];
        float[] val = new float[best.size()];
        best.drainInto(idx, val, 0);
        int[] kept = Arrays.stream(idx).filter(j -> z[j] > 0).sorted().toArray();
        float[] v = new float[kept.length];
        for (int i = 0; i < kept.length; i++) {
            v[i] = z[kept[i]];
        }
        return new Row(kept, v);
    }

    /** {@code x_hat = (sum over active f, ascending, of f W_dec[f]) + b_dec}; squared error and spread, in double. */
    private Row errors(float[] x, int r, Row row, double[] mean, float[] xHatOut) {
        int d = sae.dIn();
        float[] xHat = new float[d];
        float[] wDec = sae.wDec();
        for (int i = 0; i < row.features.length; i++) {
            float a = row.values[i];
            int off = row.features[i] * d;
            for (int c = 0; c < d; c++) {
                xHat[c] += a * wDec[off + c];
            }
        }
        float[] bDec = sae.bDec();
        double err = 0;
        double var = 0;
        for (int c = 0; c < d; c++) {
            double xv = x[r * d + c];
            float rec = xHat[c] + bDec[c];
            if (xHatOut != null) {
                xHatOut[r * d + c] = rec;
            }
            double e = xv - rec;
            double s = xv - mean[c];
            err += e * e;
            var += s * s;
        }
        row.errorSq = err;
        row.varianceSq = var;
        return row;
    }

    /** One encoded token: active features (ascending) with their values, and its error sums. */
    static final class Row {
        final int[] features;
        final float[] values;
        double errorSq;
        double varianceSq;

        Row(int[] features, float[] values) {
            this.features = features;
            this.values = values;
        }
    }

    /** Appends encoded tokens, in order, into growing CSR arrays and per-token sums. */
    private static final class Collector {
        private final int dSae;
        int tokens;
        int nnz;
        int[] rowPtr = new int[1024];
        int[] features = new int[1024];
        float[] values = new float[1024];
        int[] l0 = new int[1024];
        double[] errorSq = new double[1024];
        double[] varianceSq = new double[1024];

        Collector(int dSae) {
            this.dSae = dSae;
        }

        void add(Row r) {
            int n = r.features.length;
            if (tokens + 2 > rowPtr.length) {
                int cap = rowPtr.length * 2;
                rowPtr = Arrays.copyOf(rowPtr, cap);
                l0 = Arrays.copyOf(l0, cap);
                errorSq = Arrays.copyOf(errorSq, cap);
                varianceSq = Arrays.copyOf(varianceSq, cap);
            }
            if (nnz + n > features.length) {
                int cap = Math.max(nnz + n, features.length * 2);
                features = Arrays.copyOf(features, cap);
                values = Arrays.copyOf(values, cap);
            }
            System.arraycopy(r.features, 0, features, nnz, n);
            System.arraycopy(r.values, 0, values, nnz, n);
            nnz += n;
            l0[tokens] = n;
            errorSq[tokens] = r.errorSq;
            varianceSq[tokens] = r.varianceSq;
            rowPtr[++tokens] = nnz;
        }

        EncodeResult result() {
            SparseActivations acts = new SparseActivations(tokens, dSae, Arrays.copyOf(rowPtr, tokens + 1),
                    Arrays.copyOf(features, nnz), Arrays.copyOf(values, nnz));
            ErrorStatistics stats = ErrorStatistics.of(Arrays.copyOf(l0, tokens), Arrays.copyOf(errorSq, tokens),
                    Arrays.copyOf(varianceSq, tokens));
            return new EncodeResult(acts, stats);
        }
    }

    /** The weights this encoder uses. */
    public SaeWeights weights() {
        return sae;
    }
}
