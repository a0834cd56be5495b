package io.lowbit.accel.dse;

import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.config.BufferSizes;
import io.lowbit.accel.config.Dataflow;
import io.lowbit.accel.config.InvalidConfigException;
import io.lowbit.accel.config.Multipliers;
import io.lowbit.accel.config.PeStyle;
import java.util.ArrayList;
import java.util.List;

/**
 * The axes of an exploration; {@link #candidates} is their cross product around a base configuration (widths,
 * decoder, clock, DMA, feature-map and weight buffers come from the base). Combinations the configuration rejects
 * (more requantizers than PEs) are skipped; line-buffer designs keep one requantizer per slot (the only line-buffer
 * case the timer models), so their requantizer axis collapses to {@code pes}.
 *
 * @param modules      conv modules {@code Po}
 * @param rcas         RCAs per module {@code Pi}
 * @param pes          PEs per RCA (the RCA style: 9 = one 3×3 kernel, 18 = two, 25 = the paper's 5×5)
 * @param requantizers requantizers per module
 * @param dataflows    strip (the paper, in RTL) and/or line-buffer (simulator only)
 * @param peStyles     codebook-select (one product per input and level) and/or multiplier (one per PE) PEs
 * @param multipliers  LUT, DSP and/or packed-DSP multipliers (packing needs two products per DSP48E1, so
 *                     {@code dsp-packed} is skipped for widths where one fits)
 * @param psumBytes    psum buffer per module
 */
public record DesignSpace(List<Integer> modules, List<Integer> rcas, List<Integer> pes, List<Integer> requantizers,
        List<Dataflow> dataflows, List<PeStyle> peStyles, List<Multipliers> multipliers, List<Integer> psumBytes) {

    public DesignSpace {
        modules = List.copyOf(modules);
        rcas = List.copyOf(rcas);
        pes = List.copyOf(pes);
        requantizers = List.copyOf(requantizers);
        dataflows = List.copyOf(dataflows);
        peStyles = List.copyOf(peStyles);
        multipliers = List.copyOf(multipliers);
        psumBytes = List.copyOf(psumBytes);
        for (List<?> axis : List.of(modules, rcas, pes, requantizers, dataflows, peStyles, multipliers, psumBytes)) {
            if (axis.isEmpty()) {
                throw new IllegalArgumentException("every axis of the design space needs a value");
            }
        }
    }

    /**
     * The configurations, named {@code dse-<Po>x<Pi>x<PES>-r<R>-<strip|lb>[-mul]-<lut|dsp|dsp2>-p<psum KiB>}
     * ({@code mul}: multiplier PEs; {@code dsp2}: packed DSPs). The line-buffer width is the base's, or 34 (NIN's
     * widest padded row) when the base is a strip design.
     */
    public List<AcceleratorConfig> candidates(AcceleratorConfig base) {
        List<AcceleratorConfig> out = new ArrayList<>();
        int lineWidth = base.dataflow() == Dataflow.LINE_BUFFER ? base.lineBufferWidth() : 34;
        for (Dataflow flow : dataflows) {
            for (int pe : pes) {
                List<Integer> rs = flow == Dataflow.LINE_BUFFER ? List.of(pe)
                        : requantizers.stream().filter(r -> r <= pe).distinct().toList();
                for (int po : modules) {
                    for (int pi : rcas) {
                        for (int r : rs) {
                            for (int psum : psumBytes) {
                                for (PeStyle style : peStyles) {
                                    for (Multipliers mul : multipliers) {
                                        String name = String.format("dse-%dx%dx%d-r%d-%s%s-%s-p%d", po, pi, pe, r,
                                                flow == Dataflow.STRIP ? "strip" : "lb",
                                                style == PeStyle.MULTIPLIER ? "-mul" : "", tag(mul), psum / 1024);
                                        BufferSizes b = base.buffers();
                                        try {
                                            out.add(base.withDatapath(name, po, pi, pe, r, new BufferSizes(
                                                    b.featureMapBytes(), psum, b.weightBankBytes(),
                                                    b.featureMapBytes1()), flow, lineWidth)
                                                    .withMultipliers(name, style, mul));
                                        } catch (InvalidConfigException e) {
                                            // not a valid configuration (a psum buffer below one entry, packing
                                            // that fits one product, select PEs without a codebook): skip
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    private static String tag(Multipliers m) {
        return switch (m) {
            case LUT -> "lut";
            case DSP -> "dsp";
            case DSP_PACKED -> "dsp2";
        };
    }
}
