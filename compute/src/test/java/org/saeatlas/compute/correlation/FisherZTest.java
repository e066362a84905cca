package org.saeatlas.compute.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FisherZTest {
    // Reference values: atanh(0.5) = 0.5493061443 (closed form 0.5 ln 3); erfc and normal tails from R 4.3
    // (2 * pnorm(-1.959964) = 0.05, 2 * pnorm(-3) = 0.002699796, 2 * pnorm(-6) = 1.973175e-09).

    @Test
    void zIsAtanhTimesRootNMinusThree() {
        assertEquals(0.5493061443 * 10, FisherZ.z(0.5, 103), 1e-8);
        assertEquals(-0.5493061443 * 10, FisherZ.z(-0.5, 103), 1e-8);
        assertEquals(0.0, FisherZ.z(0.0, 50), 0.0);
    }

    @Test
    void twoSidedPValuesMatchReferenceToRelativeOneInAMillion() {
        assertEquals(0.05, FisherZ.twoSidedP(1.959964), 0.05 * 1e-6);
        assertEquals(0.002699796, FisherZ.twoSidedP(-3.0), 0.002699796 * 1e-6);
        assertEquals(1.973175e-09, FisherZ.twoSidedP(6.0), 1.973175e-09 * 1e-6);
        assertEquals(1.0, FisherZ.twoSidedP(0.0), 1e-7);
    }

    @Test
    void criticalZInvertsThePValue() {
        assertEquals(1.959964, FisherZ.criticalZ(0.05), 1e-5);
    }
}
