package io.lowbit.accel.dse;

import io.lowbit.accel.compile.AcceleratorCompiler;
import io.lowbit.accel.compile.UnsupportedLayerException;
import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.config.AcceleratorConfigs;
import io.lowbit.accel.config.Multipliers;
import io.lowbit.accel.resource.DeviceBudget;
import io.lowbit.accel.resource.ResourceEstimate;
import io.lowbit.accel.resource.ResourceModel;
import io.lowbit.accel.resource.Resources;
import io.lowbit.accel.sim.ScheduleTimer;
import io.lowbit.accel.sim.Timing;
import io.lowbit.core.model.IntegerModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Evaluates design candidates on one model: estimate resources, check the budget, compile the model and time it with {@link ScheduleTimer} (the cycle simulator's timing; cycles do not depend on weights or
 * images). Timings are cached by datapath (PE style, multipliers and the name do not change cycles). Not thread-safe.
 */
public final class DesignSpaceExplorer {

    private final IntegerModel model;
    private final DeviceBudget device;
    private final double margin;
    private final boolean countBuffers;
    private final ResourceModel resources;
    private final Predicate<AcceleratorConfig> realizable;
    private final Map<String, Object> timingCache = new HashMap<>();

    /**
     * @param margin       fraction of the device's LUTs and flip-flops kept free ({@link DeviceBudget#fits})
     * @param countBuffers also count the feature-map buffers and weight banks (outside the synthesized conv unit)
     * @param realizable   whether the RTL can be generated for a configuration (supplied by the caller, which knows
     *                     the RTL generator)
     */
    public DesignSpaceExplorer(IntegerModel model, DeviceBudget device, double margin, boolean countBuffers,
            ResourceModel resources, Predicate<AcceleratorConfig> realizable) {
        this.model = Objects.requireNonNull(model);
        this.device = Objects.requireNonNull(device);
        this.margin = margin;
        this.countBuffers = countBuffers;
        this.resources = Objects.requireNonNull(resources);
        this.realizable = Objects.requireNonNull(realizable);
        device.fits(Resources.ZERO, margin); // validates the margin
    }

    /** Every candidate, in order, with the Pareto front marked; {@code progress} sees each point as it is done. */
    public List<DesignPoint> explore(List<AcceleratorConfig> candidates, Consumer<DesignPoint> progress) {
        List<DesignPoint> points = new ArrayList<>();
        for (AcceleratorConfig c : candidates) {
            DesignPoint p = evaluate(c);
            points.add(p);
            progress.accept(p);
        }
        return ParetoFront.mark(points);
    }

    /**
     * One point. Points over the budget are timed too (a NIN timing takes milliseconds and is cached), so the chart
     * shows what the budget costs.
     */
    public DesignPoint evaluate(AcceleratorConfig config) {
        ResourceEstimate e = resources.estimate(config);
        Resources checked = countBuffers ? e.withBuffers() : e.convUnitTotal();
        boolean fits = device.fits(checked, margin);
        boolean rtl = realizable.test(config);
        Object t = timingCache.computeIfAbsent(datapathKey(config), k -> time(config));
        if (t instanceof String error) {
            return new DesignPoint(config, e, checked, fits, rtl, 0, 0, 0, error, false);
        }
        Timing timing = (Timing) t;
        // GOP/s and frames/s at this configuration's clock (the cache key includes it)
        return new DesignPoint(config, e, checked, fits, rtl, timing.totalCycles(), timing.gops(),
                timing.framesPerSecond(), null, false);
    }

    /** The fastest fitting, realizable, simulated point; ties go to fewer LUTs. */
    public static Optional<DesignPoint> best(List<DesignPoint> points) {
        return points.stream().filter(p -> p.fits() && p.realizable() && p.simulated())
                .max(Comparator.comparingDouble(DesignPoint::gops)
                        .thenComparing(Comparator.comparingLong((DesignPoint p) -> p.checked().luts()).reversed()));
    }

    private Object time(AcceleratorConfig config) {
        try {
            return ScheduleTimer.time(new AcceleratorCompiler(config).compile(model), config);
        } catch (UnsupportedLayerException e) {
            return e.getMessage();
        }
    }

    /** The configuration without its name: what the cycles depend on. */
    private static String datapathKey(AcceleratorConfig c) {
        return AcceleratorConfigs.toJson(c.withDatapath("x", c.convModules(), c.rcasPerModule(), c.pesPerRca(),
                c.requantizersPerModule(), c.buffers(), c.dataflow(), c.lineBufferWidth())
                .withMultipliers("x", c.peStyle(), Multipliers.DSP));
    }
}
