package io.lowbit.accel.resource;

/**
 * An amount of FPGA resources (7-series / UltraScale+ terms).
 *
 * @param luts      LUTs (logic; LUT RAM and shift registers included when a synthesis report has them)
 * @param flipFlops flip-flops
 * @param dsps      DSP slices
 * @param bram36    block RAM in 36 Kb equivalents (an 18 Kb block counts ½)
 */
public record Resources(long luts, long flipFlops, long dsps, double bram36) {

    public static final Resources ZERO = new Resources(0, 0, 0, 0);

    public Resources {
        if (luts < 0 || flipFlops < 0 || dsps < 0 || bram36 < 0 || !Double.isFinite(bram36)) {
            throw new IllegalArgumentException("negative or non-finite resources: " + luts + " LUT, " + flipFlops
                    + " FF, " + dsps + " DSP, " + bram36 + " BRAM36");
        }
    }

    public Resources plus(Resources o) {
        return new Resources(luts + o.luts, flipFlops + o.flipFlops, dsps + o.dsps, bram36 + o.bram36);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%,d LUT, %,d FF, %d DSP, %.1f BRAM36", luts, flipFlops, dsps,
                bram36);
    }
}
