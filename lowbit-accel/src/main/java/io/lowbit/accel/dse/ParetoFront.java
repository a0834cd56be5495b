package io.lowbit.accel.dse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The GOP/s-vs-LUT Pareto front: fitting, simulated points that no other such point beats on both. */
public final class ParetoFront {

    private ParetoFront() {
    }

    /** {@code points} in the same order, with {@link DesignPoint#pareto()} set. */
    public static List<DesignPoint> mark(List<DesignPoint> points) {
        List<DesignPoint> eligible = points.stream().filter(p -> p.fits() && p.simulated())
                .sorted(Comparator.comparingLong((DesignPoint p) -> p.checked().luts())
                        .thenComparing(Comparator.comparingDouble(DesignPoint::gops).reversed()))
                .toList();
        List<DesignPoint> front = new ArrayList<>();
        double bestGops = Double.NEGATIVE_INFINITY;
        for (DesignPoint p : eligible) {
            // sorted by LUTs: a point is on the front iff it is faster than every cheaper one
            if (p.gops() > bestGops) {
                front.add(p);
                bestGops = p.gops();
            }
        }
        return points.stream().map(p -> p.withPareto(front.contains(p))).toList();
    }
}
