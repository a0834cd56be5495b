package io.lowbit.accel.dsp;

/**
 * The signed multiplier of a Xilinx DSP slice: an {@code aBits × bBits} two's-complement product into the
 * {@code pBits}-bit P register.
 */
public enum DspSlice {
    /** 7-series (the XC7Z020): 25 × 18 → 48. */
    DSP48E1(25, 18, 48),
    /** UltraScale / UltraScale+: 27 × 18 → 48. */
    DSP48E2(27, 18, 48);

    private final int aBits;
    private final int bBits;
    private final int pBits;

    DspSlice(int aBits, int bBits, int pBits) {
        this.aBits = aBits;
        this.bBits = bBits;
        this.pBits = pBits;
    }

    public int aBits() {
        return aBits;
    }

    public int bBits() {
        return bBits;
    }

    public int pBits() {
        return pBits;
    }
}
