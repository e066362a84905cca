package org.saeatlas.compute.sae;

/**
 * How an SAE turns pre-activations {@code z = (x - b_dec?) W_enc + b_enc} into feature activations: ReLU
 * ({@code STANDARD}), {@code JUMPRELU} ({@code z * [z > threshold]}), or {@code TOPK} (keep the k largest of
 * {@code relu(z)}).
 */
public enum SaeArchitecture {
    STANDARD,
    JUMPRELU,
    TOPK
}
