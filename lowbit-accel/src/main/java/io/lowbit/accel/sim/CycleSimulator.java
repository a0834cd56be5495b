package io.lowbit.accel.sim;

import io.lowbit.accel.compile.AcceleratorCompiler;
import io.lowbit.accel.compile.Program;
import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.core.engine.NodeObserver;
import io.lowbit.core.model.IntegerModel;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Runs an integer model on a simulated accelerator: compiles it once, times the program ({@link ScheduleTimer}) and
 * executes it on images ({@link DatapathExecutor}); outputs are bit-exact with the integer engine, which the tests and
 * {@code lowbit sim --check} verify. Thread-safe; {@link #runBatch} uses all cores.
 */
public final class CycleSimulator {

    private final AcceleratorConfig config;
    private final IntegerModel model;
    private final Program program;
    private final Timing timing;
    private final DatapathExecutor executor;

    public CycleSimulator(AcceleratorConfig config, IntegerModel model) {
        this.config = Objects.requireNonNull(config, "config");
        this.model = Objects.requireNonNull(model, "model");
        this.program = new AcceleratorCompiler(config).compile(model);
        this.timing = ScheduleTimer.time(program, config);
        this.executor = new DatapathExecutor(program, model);
    }

    public AcceleratorConfig config() {
        return config;
    }

    public IntegerModel model() {
        return model;
    }

    public Program program() {
        return program;
    }

    /** Cycles per image (the same for every image: the design does not skip zeros). */
    public Timing timing() {
        return timing;
    }

    public int[] run(byte[] image) {
        return executor.run(image, NodeObserver.NONE);
    }

    /** Reports every layer's output buffer as the layer finishes, for node-by-node comparison with an engine. */
    public int[] run(byte[] image, NodeObserver observer) {
        return executor.run(image, observer);
    }

    public int[][] runBatch(List<byte[]> images) {
        int[][] out = new int[images.size()][];
        IntStream.range(0, images.size()).parallel().forEach(i -> out[i] = run(images.get(i)));
        return out;
    }
}
