package io.lowbit.train.quant.learned;

import io.lowbit.core.arith.Rounding;

/**
 * A fake quantizer whose output is {@code code·step} with {@code code} an integer of {@link #grid()}: what the
 * exporter needs to write integer codes and scales.
 */
public interface GridQuantizer {

    Grid grid();

    /**
     * The real value of one code step: one entry per tensor, or one per output channel (weights with
     * {@code gran=channel}). Undefined (zeros) before a data-initialized quantizer has seen data.
     */
    float[] steps();

    /** How values are rounded to codes; export gives the integer requantization the same rounding. */
    default Rounding rounding() {
        return QuantOps.ROUNDING;
    }
}
