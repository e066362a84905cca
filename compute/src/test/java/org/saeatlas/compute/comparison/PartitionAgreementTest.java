package org.saeatlas.compute.comparison;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PartitionAgreementTest {

    /**
     * Hand-computed, and scikit-learn's documented value: {@code adjusted_rand_score([0,0,1,1],[0,0,1,2])} = 4/7.
     * Table cells 2,1,1: index 1; margins (2,2) -> 2 and (2,1,1) -> 1; E = 2*1/6 = 1/3; max = 3/2; ARI = (2/3)/(7/6).
     * NMI: B refines A so I = H(A) = 1 bit, H(B) = 1.5 bits, NMI = 1 / 1.25 = 0.8.
     */
    @Test
    void refinementKnownAnswer() {
        PartitionAgreement.Agreement r = PartitionAgreement.of(new int[] {0, 0, 1, 1}, new int[] {0, 0, 1, 2});
        assertEquals(4, r.items());
        assertEquals(4 / 7.0, r.ari(), 1e-12);
        assertEquals(0.8, r.nmi(), 1e-12);
    }

    /** Crossed halves: index 0, E = 2/3, max 2, ARI = -1/2 (scikit-learn agrees); I = 0 so NMI = 0. */
    @Test
    void independentPartitionsScoreZeroOrBelow() {
        PartitionAgreement.Agreement r = PartitionAgreement.of(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1});
        assertEquals(-0.5, r.ari(), 1e-12);
        assertEquals(0.0, r.nmi(), 1e-12);
    }

    @Test
    void relabellingIsIdentityAndDegenerateCasesFollowScikitLearn() {
        PartitionAgreement.Agreement same = PartitionAgreement.of(new int[] {0, 0, 1, 2, 2}, new int[] {7, 7, 3, 1, 1});
        assertEquals(1.0, same.ari(), 1e-12);
        assertEquals(1.0, same.nmi(), 1e-12);
        PartitionAgreement.Agreement one = PartitionAgreement.of(new int[] {0, 0, 0}, new int[] {4, 4, 4});
        assertEquals(1.0, one.ari());
        assertEquals(1.0, one.nmi());
        PartitionAgreement.Agreement split = PartitionAgreement.of(new int[] {0, 0, 0, 0}, new int[] {0, 1, 2, 3});
        assertEquals(0.0, split.ari(), 1e-12);
        assertEquals(0.0, split.nmi(), 1e-12);
    }

    /** Through a matching: A's node 3 is unmatched and dropped; the rest is the refinement case above. */
    @Test
    void underMatchingComparesMatchedNodesOnly() {
        int[] labelsA = {0, 0, 1, 5, 1};
        int[] labelsB = {2, 1, 0, 0};
        int[] bOfA = {2, 3, 1, -1, 0};
        PartitionAgreement.Agreement r = PartitionAgreement.underMatching(labelsA, labelsB, bOfA);
        assertEquals(4, r.items());
        assertEquals(4 / 7.0, r.ari(), 1e-12);
        assertEquals(0.8, r.nmi(), 1e-12);
    }
}
