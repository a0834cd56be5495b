package io.lowbit.accel.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the datapath's multipliers are built from ({@code docs/accelerator.md} §7).
 * <ul>
 *   <li>{@code LUT}: LUT logic (the paper's 400 PEs; Yosys {@code synth_xilinx -nodsp});</li>
 *   <li>{@code DSP}: one DSP48 slice per multiplier;</li>
 *   <li>{@code DSP_PACKED}: several products that share an operand in one DSP48 slice
 *       ({@link io.lowbit.accel.dsp.DspPacking}: two 9×8-bit, three 5×4-bit products per DSP48E1).</li>
 * </ul>
 */
public enum Multipliers {
    @JsonProperty("lut") LUT,
    @JsonProperty("dsp") DSP,
    @JsonProperty("dsp-packed") DSP_PACKED;

    /** Whether synthesis may map multiplications to DSP slices. */
    public boolean usesDsp() {
        return this != LUT;
    }
}
