package io.lowbit.rtl.cosim;

import io.lowbit.accel.compile.AcceleratorCompiler;
import io.lowbit.accel.compile.LayerPlan;
import io.lowbit.accel.compile.Program;
import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.sim.LayerTiming;
import io.lowbit.accel.sim.ScheduleTimer;
import io.lowbit.accel.sim.Timing;
import io.lowbit.core.engine.ReferenceEngine;
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
 * Runs a whole compiled network on the generated RTL in one Verilator simulation of {@code tb_top}: the layer
 * sequencer executes the program (descriptors, conv passes, pool passes, buffer swaps) from the network input in
 * feature-map buffer 0 to the output. Every layer's output map (dumped from its output buffer when the layer
 * finishes) and the network output are compared with {@code ReferenceEngine}; every layer's counters with its
 * model ({@link LayerCosimResult}, {@link PoolCosimResult}), and the whole run with their sum plus the
 * sequencer's cycles ({@link NetworkCosimResult}).
 */
public final class NetworkCosim {

    private final AcceleratorConfig config;
    private final RtlParameters base;
    private final Verilator verilator;
    private final Path workRoot;

    public NetworkCosim(AcceleratorConfig config, Verilator verilator, Path workRoot) {
        this.config = config;
        this.base = RtlParameters.of(config);
        this.verilator = verilator;
        this.workRoot = workRoot;
    }

    /** {@code model} on {@code image} (raw input bytes, as the engine takes them). */
    public NetworkCosimResult run(IntegerModel model, byte[] image) {
        Program program = new AcceleratorCompiler(config).compile(model);
        Map<String, int[]> values = new HashMap<>();
        new ReferenceEngine().run(model, image, (n, t) -> values.put(n.id(), t.toArray()));
        NetworkImages images = new NetworkImages(base, program, model, values);
        RtlParameters p = images.sizedParameters(base);
        images.program().checkDepths(p);
        List<NetworkImages.Unit> units = images.units();
        NetworkImages.Unit last = units.get(units.size() - 1);
        try {
            Path dir = Files.createDirectories(workRoot.resolve("network"));
            GeneratedRtl rtl = RtlGenerator.generate(p, dir.resolve("rtl"));
            long t0 = System.nanoTime();
            Path exe = verilator.build(rtl, "tb_top");
            long buildMillis = (System.nanoTime() - t0) / 1_000_000;
            images.program().write(dir);
            images.input().write(dir.resolve("fmin.hex"));
            List<String> args = new ArrayList<>(images.program().plusargs());
            args.addAll(List.of("+n_fm=" + images.input().size(), "+dump_layers=1", "+out_bank_words="
                    + images.bankWords()));
            if (last.wide()) {
                args.addAll(List.of("+out_sel=1", "+n_out=" + last.pool().outputWords()));
            } else {
                args.addAll(List.of("+out_sel=0", "+out_buf=" + images.swaps() % 2));
            }
            ExternalTool.Run run = Verilator.run(exe, dir, args, 7200);
            List<RtlCycles> counters = RtlCycles.readLayers(dir.resolve("cycles.txt"));
            if (counters.size() != units.size()) {
                throw new IllegalStateException(counters.size() + " layers finished of " + units.size() + " (see "
                        + dir.resolve("cycles.txt") + ")");
            }
            FeatureMapLayout layout = new FeatureMapLayout(p);
            LayerCosim convModel = new LayerCosim(config, verilator, workRoot);
            PoolCosim poolModel = new PoolCosim(config, verilator, workRoot);
            List<CosimResult> layers = new ArrayList<>();
            long modelled = 0;
            for (int k = 0; k < units.size(); k++) {
                NetworkImages.Unit u = units.get(k);
                LayerPlan plan = u.plan();
                Node node = model.node(u.layer());
                int plane = plan.output().height() * plan.output().width();
                int[] actual = u.wide()
                        ? u.pool().decodeOutput(HexImage.read(dir.resolve("fmout.hex")))
                        : layout.decode(HexImage.read(dir.resolve("layer" + k + ".hex")), images.bankWords(),
                                plan.output().channels(), plane, p.activationBits(), node.output().type().signed());
                Mismatch m = Mismatch.of(actual, values.get(u.layer()), plan.output().height(),
                        plan.output().width());
                RtlCycles c = counters.get(k);
                if (u.isConv()) {
                    LayerTiming sim = convModel.standaloneTiming(program, plan, u.passes());
                    LayerCosimResult r = new LayerCosimResult(u.layer(), m.elements(), m.count(), m.first(),
                            u.passes().size(), c, sim, u.conv().firstPreloadCycles(), base.drainCycles()
                            + u.conv().lastPassRequantizerTail(), u.conv().lastPassTaps() - 1, 0, 0);
                    modelled += sim.streamCycles() + sim.stallCycles() + r.firstPreload() + r.expectedRtlDrain();
                    layers.add(r);
                } else {
                    PoolCosimResult r = new PoolCosimResult(u.layer(), node.op().kind(), m.elements(), m.count(),
                            m.first(), 1, c, u.pool().modelledCycles(), poolModel.standaloneTiming(program, plan),
                            p.pi() == ScheduleTimer.CHANNELS_PER_WORD, 0, 0);
                    modelled += r.modelledCycles();
                    layers.add(r);
                }
            }
            long sequencer = sequencerCycles(images);
            int[] expected = values.get(last.layer());
            int[] actual = last.wide()
                    ? last.pool().decodeOutput(HexImage.read(dir.resolve("fmout.hex")))
                    : layout.decode(HexImage.read(dir.resolve("fmout.hex")), images.bankWords(),
                            last.plan().output().channels(), last.plan().output().height()
                                    * last.plan().output().width(), p.activationBits(),
                            model.node(last.layer()).output().type().signed());
            Mismatch out = Mismatch.of(actual, expected, last.plan().output().height(),
                    last.plan().output().width());
            Timing whole = ScheduleTimer.time(program, config);
            return new NetworkCosimResult(model.metadata().name(), layers, out.elements(), out.count(), out.first(),
                    RtlCycles.readTotal(dir.resolve("cycles.txt")), modelled + sequencer, sequencer,
                    whole.totalCycles(), whole.inputLoadCycles() + whole.outputStoreCycles(), buildMillis,
                    run.millis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The sequencer's own cycles ({@code lowbit_sequencer}): a fetch per instruction it decodes, one cycle per conv
     * layer or pool in which it sees the unit's done, and the final fetch.
     */
    static long sequencerCycles(NetworkImages images) {
        return 2L * images.units().size() + images.layerInstructions() + images.swaps() + 1;
    }

    /** Elements that differ, and the first one as channel, row, column. */
    record Mismatch(int elements, int count, String first) {

        static Mismatch of(int[] actual, int[] expected, int h, int w) {
            int count = 0;
            String first = "";
            for (int k = 0; k < expected.length; k++) {
                if (actual[k] != expected[k] && count++ == 0) {
                    first = String.format("channel %d, row %d, column %d: RTL %d, engine %d", k / (h * w),
                            k / w % h, k % w, actual[k], expected[k]);
                }
            }
            return new Mismatch(expected.length, count, first);
        }
    }
}
