package io.lowbit.accel.dse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.accel.TestNets;
import io.lowbit.accel.compile.AcceleratorCompiler;
import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.config.AcceleratorConfigs;
import io.lowbit.accel.config.Dataflow;
import io.lowbit.accel.config.Multipliers;
import io.lowbit.accel.config.PeStyle;
import io.lowbit.accel.resource.DeviceBudget;
import io.lowbit.accel.resource.ResourceModel;
import io.lowbit.accel.sim.ScheduleTimer;
import io.lowbit.core.model.IntegerModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A tiny design space on a narrow NIN: enumeration, budget check, timing, Pareto front and the best point. */
class DesignSpaceExplorerTest {

    private static final IntegerModel NIN = TestNets.nin(0.25, 5);
    private static final AcceleratorConfig BASE = AcceleratorConfigs.pynqZ2ClipQ();

    private static DesignSpace tiny() {
        return new DesignSpace(List.of(1, 2, 4), List.of(1, 4, 8), List.of(18, 25), List.of(2, 25),
                List.of(Dataflow.STRIP, Dataflow.LINE_BUFFER), List.of(PeStyle.CODEBOOK_SELECT),
                List.of(Multipliers.DSP, Multipliers.LUT), List.of(16384));
    }

    @Test
    void enumeratesTheCrossProductWithoutInvalidCombinations() {
        List<AcceleratorConfig> c = tiny().candidates(BASE);
        // strip: 3 Po × 3 Pi × (PES 18: R 2 | PES 25: R 2, 25) × 2 multiplier mappings; line buffer: R = PES only
        assertEquals(3 * 3 * 3 * 2 + 3 * 3 * 2 * 2, c.size());
        assertTrue(c.stream().allMatch(x -> x.requantizersPerModule() <= x.pesPerRca()));
        assertTrue(c.stream().filter(x -> x.dataflow() == Dataflow.LINE_BUFFER)
                .allMatch(x -> x.requantizersPerModule() == x.pesPerRca()
                        && x.lineBufferWidth() == 34));
        assertEquals(c.size(), c.stream().map(x -> x.name()).distinct().count());
    }

    @Test
    void peStylesAndPackedDspsAreAxes() {
        DesignSpace space = new DesignSpace(List.of(2), List.of(4), List.of(25), List.of(5), List.of(Dataflow.STRIP),
                List.of(PeStyle.CODEBOOK_SELECT, PeStyle.MULTIPLIER), List.of(Multipliers.DSP, Multipliers.DSP_PACKED),
                List.of(16384));
        List<AcceleratorConfig> c = space.candidates(BASE);
        assertEquals(List.of("dse-2x4x25-r5-strip-dsp-p16", "dse-2x4x25-r5-strip-dsp2-p16",
                "dse-2x4x25-r5-strip-mul-dsp-p16", "dse-2x4x25-r5-strip-mul-dsp2-p16"),
                c.stream().map(AcceleratorConfig::name).toList());
        DesignSpaceExplorer explorer = new DesignSpaceExplorer(NIN, DeviceBudget.XC7Z020, 0.10, false,
                ResourceModel.CALIBRATED, x -> true);
        List<DesignPoint> points = explorer.explore(c, p -> { });
        assertEquals(List.of(16L, 8L, 200L, 104L), points.stream().map(p -> p.checked().dsps()).toList());
        assertEquals(1, points.stream().mapToLong(DesignPoint::cycles).distinct().count()); // same cycles
    }

    @Test
    void timesEveryPointChecksTheBudgetAndMarksTheFront() {
        DesignSpaceExplorer explorer = new DesignSpaceExplorer(NIN, DeviceBudget.XC7Z020, 0.10, false,
                ResourceModel.CALIBRATED, c -> c.dataflow() == Dataflow.STRIP);
        List<DesignPoint> seen = new ArrayList<>();
        List<DesignPoint> points = explorer.explore(tiny().candidates(BASE), seen::add);
        assertEquals(points.size(), seen.size());
        for (DesignPoint p : points) {
            assertTrue(p.simulated(), p.name() + ": " + p.error());
            assertEquals(DeviceBudget.XC7Z020.fits(p.checked(), 0.10), p.fits(), p.name());
            assertEquals(p.dsp() ? p.config().rcasPerModule() * 4L : 0, p.checked().dsps(), p.name());
        }
        // the cycles are the schedule timer's, and multiplier mapping does not change them
        DesignPoint any = points.get(7);
        assertEquals(ScheduleTimer.time(new AcceleratorCompiler(any.config()).compile(NIN), any.config())
                .totalCycles(), any.cycles());
        for (DesignPoint p : points) {
            String lut = p.name().replace("-dsp-", "-lut-");
            points.stream().filter(q -> q.name().equals(lut)).forEach(q -> assertEquals(q.cycles(), p.cycles()));
        }
        // the 8-RCA, 4-module, 25-PE designs with one requantizer per slot are over the XC7Z020's LUTs
        assertTrue(points.stream().filter(p -> p.config().convModules() == 4 && p.config().rcasPerModule() == 8
                && p.config().pesPerRca() == 25 && p.config().requantizersPerModule() == 25).noneMatch(DesignPoint::fits));
        // front: fitting points only, and none of them is beaten on both GOP/s and LUTs by another fitting point
        List<DesignPoint> front = points.stream().filter(DesignPoint::pareto).toList();
        assertFalse(front.isEmpty());
        for (DesignPoint f : front) {
            assertTrue(f.fits());
            assertTrue(points.stream().filter(p -> p.fits() && p.simulated()).noneMatch(p -> p.gops() > f.gops()
                    && p.checked().luts() <= f.checked().luts()), f.name());
        }
        Optional<DesignPoint> best = DesignSpaceExplorer.best(points);
        assertTrue(best.isPresent());
        assertTrue(best.get().realizable() && best.get().fits());
        assertEquals(Dataflow.STRIP, best.get().config().dataflow());
        double fastestRealizable = points.stream().filter(p -> p.fits() && p.realizable())
                .mapToDouble(DesignPoint::gops).max().orElseThrow();
        assertEquals(fastestRealizable, best.get().gops(), 0);
        DesignPoint ref = explorer.evaluate(BASE);
        assertTrue(best.get().gops() > ref.gops());
    }
}
