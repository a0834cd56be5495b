package io.lowbit.accel.dse;

import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.resource.ResourceEstimate;
import io.lowbit.accel.resource.Resources;

/**
 * One evaluated configuration.
 *
 * @param config     the configuration
 * @param estimate   the resource model's estimate
 * @param checked    what the budget check compared: the conv unit, plus the buffers when asked
 * @param fits       within the budget with the margin
 * @param realizable the RTL generator accepts it (so it can be synthesized and co-simulated)
 * @param cycles     simulated cycles per image; 0 when the model cannot run on the design ({@code error})
 * @param gops       simulated GOP/s (1 MAC = 2 ops); 0 with {@code cycles}
 * @param framesPerSecond simulated frames/s; 0 with {@code cycles}
 * @param error      why the model could not run on it (compiler limits), else {@code null}
 * @param pareto     on the GOP/s-vs-LUT front of the fitting, simulated points
 */
public record DesignPoint(AcceleratorConfig config, ResourceEstimate estimate, Resources checked,
        boolean fits, boolean realizable, long cycles, double gops, double framesPerSecond, String error,
        boolean pareto) {

    public String name() {
        return config.name();
    }

    /** Multipliers in DSP slices (plain or packed). */
    public boolean dsp() {
        return config.multipliers().usesDsp();
    }

    public boolean simulated() {
        return cycles > 0;
    }

    /** The same point with {@code realizable} decided by a closer check (a whole-network run, made by the caller). */
    public DesignPoint withRealizable(boolean r) {
        return new DesignPoint(config, estimate, checked, fits, r, cycles, gops, framesPerSecond, error, pareto);
    }

    DesignPoint withPareto(boolean p) {
        return new DesignPoint(config, estimate, checked, fits, realizable, cycles, gops, framesPerSecond, error,
                p);
    }
}
