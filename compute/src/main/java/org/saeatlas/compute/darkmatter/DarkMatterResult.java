package org.saeatlas.compute.darkmatter;

/**
 * The SAE error statistics of one SAE over one set of tokens, all scored on the held-out tokens (NaN when they
 * cannot be computed, e.g. an input without variance: such a statistic is absent, never 0).
 *
 * @param errorLinearR2    R^2 of the optimal linear map {@code x -> e} (with intercept): the share of the error
 *                         vector's variance that is a linear function of the input
 * @param errorNormProbeR2 R^2 of the linear probe {@code x -> ||e||^2}
 * @param nonlinearFvu     variance of x left unexplained by {@code x_hat} plus the linear prediction of e, over the
 *                         variance of x: the part of the error no linear map of x recovers
 * @param heldOutFvu       the SAE's own fraction of variance unexplained on the same held-out tokens (for scale:
 *                         {@code nonlinearFvu <= heldOutFvu} up to estimation error)
 * @param trainTokens      tokens the maps were fitted on
 * @param heldOutTokens    tokens they were scored on
 * @param heldOutShare     the share requested
 * @param ridge            the relative ridge penalty
 * @param seed             the split's seed
 * @param dIn              input dimension
 */
public record DarkMatterResult(double errorLinearR2, double errorNormProbeR2, double nonlinearFvu, double heldOutFvu,
        long trainTokens, long heldOutTokens, double heldOutShare, double ridge, long seed, int dIn) {

    /** Total tokens. */
    public long tokens() {
        return trainTokens + heldOutTokens;
    }
}
