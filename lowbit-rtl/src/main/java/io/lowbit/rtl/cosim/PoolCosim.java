package io.lowbit.rtl.cosim;

import io.lowbit.accel.compile.AcceleratorCompiler;
import io.lowbit.accel.compile.Instruction;
import io.lowbit.accel.compile.LayerPlan;
import io.lowbit.accel.compile.Program;
import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.sim.LayerTiming;
import io.lowbit.accel.sim.ScheduleTimer;
import io.lowbit.core.engine.ReferenceEngine;
import io.lowbit.core.model.AvgPool;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.MaxPool;
import io.lowbit.core.model.Node;
import io.lowbit.rtl.GeneratedRtl;
import io.lowbit.rtl.RtlGenerator;
import io.lowbit.rtl.RtlParameters;
import io.lowbit.rtl.sim.ExternalTool;
import io.lowbit.rtl.sim.HexImage;
import io.lowbit.rtl.sim.Verilator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one max, average or global average pool layer of a model on {@code lowbit_pool_unit} under Verilator
 * ({@code tb_pool}): runs the integer engine on an image up to the layer, writes the layer's input map and
 * constants ({@link PoolImages}), simulates, and compares the output map with the engine's (bit-exact) and the
 * cycles with {@link ScheduleTimer}'s pool timing of the layer alone.
 */
public final class PoolCosim {

    public static final String TESTBENCH = "tb_pool";

    private final AcceleratorConfig config;
    private final RtlParameters parameters;
    private final Verilator verilator;
    private final Path workRoot;

    public PoolCosim(AcceleratorConfig config, Verilator verilator, Path workRoot) {
        this.config = config;
        this.parameters = RtlParameters.of(config);
        this.verilator = verilator;
        this.workRoot = workRoot;
    }

    /** Whether {@code node} is a layer this class runs. */
    public static boolean isPool(Node node) {
        return node.op() instanceof MaxPool || node.op() instanceof AvgPool;
    }

    /** Layer {@code layerId} of {@code model} on {@code image} (raw input bytes, as the engine takes them). */
    public PoolCosimResult run(IntegerModel model, String layerId, byte[] image) {
        Node node = model.node(layerId);
        if (!isPool(node)) {
            throw new IllegalArgumentException(layerId + " is a " + node.op().kind() + ", not a max or average pool");
        }
        Program program = new AcceleratorCompiler(config).compile(model);
        LayerPlan plan = program.layer(layerId);
        Node inNode = model.node(node.input());
        Map<String, int[]> values = new HashMap<>();
        new ReferenceEngine().run(model, image, (n, t) -> {
            if (n.id().equals(inNode.id()) || n.id().equals(layerId)) {
                values.put(n.id(), t.toArray());
            }
        });
        PoolImages images = new PoolImages(parameters, node.op(), inNode.output(), node.output(),
                values.get(inNode.id()), outputBits(parameters));
        try {
            Path dir = Files.createDirectories(workRoot.resolve(layerId));
            GeneratedRtl rtl = RtlGenerator.generate(parameters, dir.resolve("rtl"));
            long t0 = System.nanoTime();
            Path exe = verilator.build(rtl, TESTBENCH);
            long buildMillis = (System.nanoTime() - t0) / 1_000_000;
            images.write(dir);
            ExternalTool.Run run = Verilator.run(exe, dir, images.plusargs(), 3600);
            RtlCycles cycles = RtlCycles.read(dir.resolve("cycles.txt"));
            int[] actual = images.decodeOutput(HexImage.read(dir.resolve("fmout.hex")));
            int[] expected = values.get(layerId);
            int h = plan.output().height();
            int w = plan.output().width();
            int mismatches = 0;
            String first = "";
            for (int k = 0; k < expected.length; k++) {
                if (actual[k] != expected[k] && mismatches++ == 0) {
                    first = String.format("channel %d, row %d, column %d: RTL %d, engine %d", k / (h * w),
                            k / w % h, k % w, actual[k], expected[k]);
                }
            }
            return new PoolCosimResult(layerId, node.op().kind(), expected.length, mismatches, first, 1, cycles,
                    images.modelledCycles(), standaloneTiming(program, plan), buildMillis, run.millis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code tb_pool}'s output code width, {@code 2·AW}: also the int16 outputs of a network's last pool. */
    public static int outputBits(RtlParameters p) {
        return 2 * p.activationBits();
    }

    /** {@link ScheduleTimer} on the pool pass alone: a zero-byte input load stands for the previous layer. */
    LayerTiming standaloneTiming(Program full, LayerPlan plan) {
        List<Instruction> ins = List.of(new Instruction.LoadInput(0), new Instruction.PoolPass(plan.layer()),
                new Instruction.SwapBuffers(plan.layer()));
        Program alone = new Program(full.format(), full.version(), full.accelerator(), full.model(),
                full.modelFingerprint(), List.of(plan), ins);
        return ScheduleTimer.time(alone, config).layer(plan.layer());
    }
}
