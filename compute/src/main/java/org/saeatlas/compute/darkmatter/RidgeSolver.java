package org.saeatlas.compute.darkmatter;

import java.util.concurrent.ForkJoinPool;

/**
 * The {@code O(d^3)} part of {@link DarkMatter#fit}: for the symmetric positive-definite {@code A} (the training
 * covariance plus the ridge), {@code W = A^-1 B}, {@code w = A^-1 c} and the held-out quadratic term
 * {@code tr(W^T S W)}. The plain-Java one ({@link #JAVA}) is the reference: a Cholesky factorisation {@code d^3/6},
 * triangular solves with {@code d + 1} right-hand sides {@code d^3}, the trace {@code d^3} multiply-adds, in
 * place. An engine may do it natively ({@code compute-djl}: PyTorch's float64 inverse and two matmuls, 10x less CPU
 * at d = 2,304, measured in the README) and fall back to the Java one.
 */
@FunctionalInterface
public interface RidgeSolver {

    /**
     * @param a the {@code d x d} matrix A, row-major; its lower triangle is read, and the whole array may be
     *          overwritten (with its factor or its symmetric copy)
     * @param b row-major {@code d x d}: B on entry, W on return
     * @param c length d: c on entry, w on return
     * @param s the symmetric {@code d x d} S, both triangles filled (not modified)
     * @return {@code tr(W^T S W)}
     */
    double solve(ForkJoinPool pool, double[] a, double[] b, double[] c, double[] s, int d);

    /** Cholesky, triangular solves and the trace in plain Java (parallel over blocks of columns on {@code pool}). */
    RidgeSolver JAVA = (pool, a, b, c, s, d) -> {
        Dense.cholesky(a, d);
        Dense.solve(pool, a, b, d, d);
        Dense.solve(pool, a, c, d, 1);
        return Dense.traceQuadratic(pool, s, b, d, d);
    };
}
