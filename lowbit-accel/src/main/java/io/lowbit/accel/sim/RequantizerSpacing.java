package io.lowbit.accel.sim;

import io.lowbit.accel.compile.LayerPlan;
import io.lowbit.accel.compile.RcaMapping;

/**
 * Window issue times of one requantizing strip-dataflow pass when a window needs {@code q > 1} cycles in the shared
 * requantizers ({@code docs/accelerator.md} §4): the stream issues the pixel that completes a window only when the
 * previous window has left the requantizers ({@code q} cycles after it was issued), holding the whole stream
 * meanwhile (a bubble). The RTL controller does the same ({@code lowbit_controller}: {@code hold}).
 *
 * <p>In a strip of {@code kW·((rows − 1)·sH + kH)} pixels, output row {@code k}'s window of a chunk ending
 * {@code d} taps before the kernel's end completes at pixel {@code kH·kW − 1 − d + k·sH·kW}.
 */
final class RequantizerSpacing {

    private final long stripPixels;
    private final long firstWindow;
    private final long windowStep;
    private final int rows;
    private final int strips;
    private final int q;
    private long bubbles;

    RequantizerSpacing(LayerPlan plan, int rows, int taps, int chunkOffset, int q) {
        RcaMapping m = plan.mapping();
        int sH = plan.window().strideH();
        this.stripPixels = (long) m.kernelW() * ((long) (rows - 1) * sH + m.kernelH());
        this.firstWindow = (long) m.kernelH() * m.kernelW() - 1 - chunkOffset;
        this.windowStep = (long) sH * m.kernelW();
        this.rows = rows;
        this.strips = plan.output().width();
        this.q = q;
    }

    /** Pixel index of the pass's first window: 0 when the first pixel completes one. */
    long firstWindowOffset() {
        return firstWindow;
    }

    /**
     * Issues the pass's windows from its first pixel at cycle {@code start}, the requantizers taking a window from
     * cycle {@code free} on; returns the cycle the last window is issued. {@link #bubbles()} then holds the cycles
     * the stream was held.
     */
    long issue(long start, long free) {
        bubbles = 0;
        long last = -1;
        for (int x = 0; x < strips; x++) {
            for (int k = 0; k < rows; k++) {
                long natural = start + bubbles + x * stripPixels + firstWindow + k * windowStep;
                long at = Math.max(natural, free);
                bubbles += at - natural;
                free = at + q;
                last = at;
            }
        }
        return last;
    }

    long bubbles() {
        return bubbles;
    }
}
