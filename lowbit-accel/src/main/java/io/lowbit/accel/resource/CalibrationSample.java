package io.lowbit.accel.resource;

import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.config.AcceleratorConfigs;
import io.lowbit.accel.config.BufferSizes;
import io.lowbit.accel.config.Dataflow;
import io.lowbit.accel.config.Multipliers;
import io.lowbit.accel.config.PeStyle;

/**
 * One Yosys synthesis of a conv unit, as the resource model is fitted to it. The configuration is the
 * {@code pynq-z2-clipq} preset (codebook-select PEs) with the datapath fields below replaced.
 *
 * @param id                 sample name
 * @param po                 conv modules
 * @param pi                 RCAs per module
 * @param pes                PEs per RCA
 * @param requantizers       requantizers per module
 * @param psumBytesPerModule psum buffer of a module
 * @param dsp                the configuration's multipliers are DSP slices ({@code "multipliers": "dsp"}); {@code false}:
 *                           {@code "lut"}, whose codebook products the RTL writes as LUT (Booth) logic
 * @param measured           Yosys {@code stat}: LUT (LUT1..6 + LUT RAM + SRL), FF, DSP, BRAM36
 * @param seconds            Yosys wall time
 * @param command            the command that produced it
 * @param peStyle            PE style; codebook-select when absent (every fitted sample)
 * @param multipliers        multiplier mapping when it is not {@code dsp}'s plain one (packed DSPs); else absent
 * @param nodsp              synthesized with {@code -nodsp} (every multiplier in LUTs); {@code false} (the default
 *                           flow, as {@code lowbit rtl synth} and {@code lowbit dse --synth-best} run it): DSP48E1s
 *                           allowed, so only {@code dsp} configurations use them in the conv unit
 */
public record CalibrationSample(String id, int po, int pi, int pes, int requantizers, int psumBytesPerModule,
        boolean dsp, Resources measured, double seconds, String command, PeStyle peStyle, Multipliers multipliers,
        boolean nodsp) {

    public AcceleratorConfig config() {
        AcceleratorConfig p = AcceleratorConfigs.pynqZ2ClipQ();
        BufferSizes b = p.buffers();
        return p.withDatapath("calib-" + id, po, pi, pes, requantizers,
                new BufferSizes(b.featureMapBytes(), psumBytesPerModule, b.weightBankBytes(), b.featureMapBytes1()),
                Dataflow.STRIP, 0)
                .withMultipliers("calib-" + id, peStyle != null ? peStyle : PeStyle.CODEBOOK_SELECT,
                        multipliers != null ? multipliers : dsp ? Multipliers.DSP : Multipliers.LUT);
    }
}
