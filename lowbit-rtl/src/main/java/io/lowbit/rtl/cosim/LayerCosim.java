package io.lowbit.rtl.cosim;

import io.lowbit.accel.compile.AcceleratorCompiler;
import io.lowbit.accel.compile.Instruction;
import io.lowbit.accel.compile.LayerPlan;
import io.lowbit.accel.compile.Program;
import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.sim.LayerTiming;
import io.lowbit.accel.sim.ScheduleTimer;
import io.lowbit.core.engine.ReferenceEngine;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.IntegerModel;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one conv layer of a model on the generated RTL under Verilator: compiles the model for the configuration,
 * runs the integer engine on an image up to the layer, writes the layer's memory images ({@link LayerImages}),
 * simulates {@code tb_top}, and compares the output feature map with the engine's (bit-exact) and the cycle
 * counters with {@link ScheduleTimer} on the layer's passes alone (weights already in the bank).
 *
 * <p>Usable from a command: {@code new LayerCosim(config, verilator, workRoot).run(model, "conv1", image)}.
 */
public final class LayerCosim {

    private final AcceleratorConfig config;
    private final RtlParameters parameters;
    private final Verilator verilator;
    private final Path workRoot;

    public LayerCosim(AcceleratorConfig config, Verilator verilator, Path workRoot) {
        this.config = config;
        this.parameters = RtlParameters.of(config);
        this.verilator = verilator;
        this.workRoot = workRoot;
    }

    public RtlParameters parameters() {
        return parameters;
    }

    /** Layer {@code layerId} of {@code model} on {@code image} (raw input bytes, as the engine takes them). */
    public LayerCosimResult run(IntegerModel model, String layerId, byte[] image) {
        Program program = new AcceleratorCompiler(config).compile(model);
        LayerPlan plan = program.layer(layerId);
        Node node = model.node(layerId);
        if (!(node.op() instanceof Conv2d op)) {
            throw new IllegalArgumentException(layerId + " is a " + node.op().kind() + "; the RTL runs conv2d layers"
                    + " (and pools, PoolCosim)");
        }
        if (plan.inputInDram() || plan.outputInDram()) {
            throw new IllegalArgumentException(layerId + ": its feature maps do not fit the buffers; a layer run"
                    + " alone has them on chip (maps in DRAM are staged by the DMA: run the whole network with"
                    + " --network, docs/rtl.md §1)");
        }
        Node inNode = model.node(node.input());
        Map<String, int[]> values = new HashMap<>();
        new ReferenceEngine().run(model, image, (n, t) -> {
            if (n.id().equals(inNode.id()) || n.id().equals(layerId)) {
                values.put(n.id(), t.toArray());
            }
        });
        List<Instruction.ConvPass> passes = program.instructions(Instruction.ConvPass.class).stream()
                .filter(cp -> cp.layer().equals(layerId)).toList();
        ProgramImages memories = new ProgramImages(parameters);
        LayerImages images = new LayerImages(parameters, plan, op, inNode.output(), node.output(), passes, memories);
        memories.checkDepths(parameters);
        HexImage input = new FeatureMapLayout(parameters).encode(values.get(inNode.id()), plan.input().channels(),
                plan.input().height() * plan.input().width());

        try {
            Path dir = Files.createDirectories(workRoot.resolve(layerId));
            GeneratedRtl rtl = RtlGenerator.generate(parameters, dir.resolve("rtl"));
            long t0 = System.nanoTime();
            Path exe = verilator.build(rtl, "tb_top");
            long buildMillis = (System.nanoTime() - t0) / 1_000_000;
            memories.write(dir);
            input.write(dir.resolve("fmin.hex"));
            // the layer reads buffer 0 and writes buffer 1
            List<String> args = new ArrayList<>(memories.plusargs());
            args.addAll(List.of("+n_fm=" + input.size(), "+out_sel=0", "+out_buf=1", "+out_bank_words="
                    + images.outputBankWords()));
            ExternalTool.Run run = Verilator.run(exe, dir, args, 3600);
            RtlCycles cycles = RtlCycles.read(dir.resolve("cycles.txt"));
            int[] actual = images.decodeOutput(HexImage.read(dir.resolve("fmout.hex")));
            int[] expected = values.get(layerId);
            int mismatches = 0;
            String first = "";
            int h = plan.output().height();
            int w = plan.output().width();
            for (int k = 0; k < expected.length; k++) {
                if (actual[k] != expected[k]) {
                    if (mismatches++ == 0) {
                        first = String.format("channel %d, row %d, column %d: RTL %d, engine %d", k / (h * w),
                                k / w % h, k % w, actual[k], expected[k]);
                    }
                }
            }
            LayerTiming sim = standaloneTiming(program, plan, passes);
            return new LayerCosimResult(layerId, expected.length, mismatches, first, passes.size(), cycles, sim,
                    images.firstPreloadCycles(), parameters.drainCycles() + images.lastPassRequantizerTail(),
                    images.lastPassTaps() - 1,
                    buildMillis, run.millis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@link ScheduleTimer} on the layer's passes alone: a zero-byte input load stands for "the previous layer",
     * long enough (the DMA latency) for the first preload to finish, and no weight DMA: the bank is loaded.
     */
    LayerTiming standaloneTiming(Program full, LayerPlan plan, List<Instruction.ConvPass> passes) {
        List<Instruction> ins = new ArrayList<>();
        ins.add(new Instruction.LoadInput(0));
        ins.addAll(passes);
        ins.add(new Instruction.SwapBuffers(plan.layer()));
        Program alone = new Program(full.format(), full.version(), full.accelerator(), full.model(),
                full.modelFingerprint(), List.of(plan), ins);
        return ScheduleTimer.time(alone, config).layer(plan.layer());
    }
}
