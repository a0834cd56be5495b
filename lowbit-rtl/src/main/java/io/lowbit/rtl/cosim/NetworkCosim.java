package io.lowbit.rtl.cosim;

import io.lowbit.accel.compile.AcceleratorCompiler;
import io.lowbit.accel.compile.Instruction;
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
 * sequencer executes the compute instructions (descriptors, conv passes, pool passes, buffer swaps) while the DMA
 * engine executes {@code load_input}, {@code load_weights} and {@code store_output} against the testbench's DRAM
 * ({@link DramImage}), from the network input in DRAM to the output in DRAM. Every layer's output map (dumped from
 * its output buffer when the layer finishes) and the network output are compared with {@code ReferenceEngine};
 * every layer's counters with its model ({@link LayerCosimResult}, {@link PoolCosimResult}), every transfer with
 * {@code DmaConfig.transferCycles}, and the whole run with the sum of its parts and with {@code ScheduleTimer} on the
 * program with the RTL's byte counts plus the stated per-layer differences ({@link NetworkCosimResult}).
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
        images.program().checkInstructions(p);
        if (config.dma().latencyCycles() < 1) {
            throw new IllegalArgumentException(config.name() + ": the DRAM model needs a latency of >= 1 cycle"
                    + " (dma.latencyCycles = " + config.dma().latencyCycles() + ")");
        }
        List<NetworkImages.Unit> units = images.units();
        NetworkImages.Unit last = units.get(units.size() - 1);
        try {
            Path dir = Files.createDirectories(workRoot.resolve("network"));
            GeneratedRtl rtl = RtlGenerator.generate(p, dir.resolve("rtl"));
            long t0 = System.nanoTime();
            Path exe = verilator.build(rtl, "tb_top");
            long buildMillis = (System.nanoTime() - t0) / 1_000_000;
            images.program().write(dir);
            DramImage dram = images.dram();
            dram.dram().write(dir.resolve("dram.hex"));
            dram.queue().write(dir.resolve("dq.hex"));
            List<String> args = new ArrayList<>(images.program().programPlusargs());
            args.addAll(List.of("+n_dq=" + dram.queue().size(), "+n_dram=" + dram.size(), "+dram_latency="
                    + config.dma().latencyCycles(), "+dump_layers=1", "+out_bank_words=" + images.bankWords(),
                    "+out_sel=1", "+n_out=0", "+out_dram=" + images.outputBase(), "+n_out_dram="
                    + images.outputBeats()));
            ExternalTool.Run run = Verilator.run(exe, dir, args, 7200);
            List<RtlCycles> counters = RtlCycles.readLayers(dir.resolve("cycles.txt"));
            if (counters.size() != units.size()) {
                throw new IllegalStateException(counters.size() + " layers finished of " + units.size() + " (see "
                        + dir.resolve("cycles.txt") + ")");
            }
            FeatureMapLayout layout = new FeatureMapLayout(p);
            Program rtlBytes = images.withRtlBytes(program);
            Timing wholeRtlBytes = ScheduleTimer.time(rtlBytes, config);
            Map<String, LayerTiming> wholeLayers = new HashMap<>();
            wholeRtlBytes.layers().forEach(l -> wholeLayers.put(l.layer(), l));
            boolean waitsAsModelled = true;
            boolean firstConv = true;
            long fromSimulator = 0;
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
                        ? u.pool().decodeOutput(dram.decodeWords(HexImage.read(dir.resolve("dramout.hex")),
                                u.pool().outputWords(), p.resultWordBits()))
                        : layout.decode(HexImage.read(dir.resolve("layer" + k + ".hex")), images.bankWords(),
                                plan.output().channels(), plane, p.activationBits(), node.output().type().signed());
                Mismatch m = Mismatch.of(actual, values.get(u.layer()), plan.output().height(),
                        plan.output().width());
                RtlCycles c = counters.get(k);
                if (u.isConv()) {
                    LayerTiming sim = convModel.standaloneTiming(program, plan, u.passes());
                    // the first conv layer's first preload is exposed; every later one's overlaps the previous conv
                    // layer's last pass, as in the simulator
                    long exposed = firstConv ? u.conv().firstPreloadCycles() : 0;
                    firstConv = false;
                    LayerCosimResult r = new LayerCosimResult(u.layer(), m.elements(), m.count(), m.first(),
                            u.passes().size(), c, sim, exposed, base.drainCycles()
                            + u.conv().lastPassRequantizerTail(), u.conv().lastPassTaps() - 1, 0, 0);
                    modelled += sim.streamCycles() + sim.stallCycles() + r.firstPreload() + r.expectedRtlDrain()
                            + c.weightWait();
                    // against the whole program: the RTL drains T - 1 earlier and, when the layer waits for its
                    // weights (the first conv layer), fetches and preloads inside the wait (docs/rtl.md §3)
                    long waitSim = wholeLayers.get(u.layer()).cycles() - sim.cycles();
                    long delta = r.firstPreload() - r.simulatorDrainExcess();
                    if (waitSim > 0) {
                        delta -= u.conv().firstPreloadCycles() + FIRST_FETCH_CYCLES;
                        waitsAsModelled &= r.firstPreload() > 0
                                && c.weightWait() == waitSim - r.firstPreload() - FIRST_FETCH_CYCLES;
                    } else {
                        waitsAsModelled &= c.weightWait() == 0;
                    }
                    fromSimulator += delta;
                    layers.add(r);
                } else {
                    PoolCosimResult r = new PoolCosimResult(u.layer(), node.op().kind(), m.elements(), m.count(),
                            m.first(), 1, c, u.pool().modelledCycles(), poolModel.standaloneTiming(program, plan),
                            p.pi() == ScheduleTimer.CHANNELS_PER_WORD, 0, 0);
                    modelled += r.modelledCycles();
                    waitsAsModelled &= wholeLayers.get(u.layer()).cycles() == r.modelledCycles();
                    layers.add(r);
                }
            }
            long sequencer = sequencerCycles(images);
            // the DMA transfers: each exactly latency + beats, ScheduleTimer's formula for the RTL's bytes
            List<RtlCycles.Transfer> measured = RtlCycles.readTransfers(dir.resolve("cycles.txt"));
            List<DramImage.Transfer> queued = dram.transfers();
            List<Instruction> dmaIns = images.dmaInstructions();
            if (measured.size() != queued.size()) {
                throw new IllegalStateException(measured.size() + " DMA transfers finished of " + queued.size()
                        + " (see " + dir.resolve("cycles.txt") + ")");
            }
            List<NetworkCosimResult.Dma> dma = new ArrayList<>();
            for (int k = 0; k < queued.size(); k++) {
                dma.add(new NetworkCosimResult.Dma(queued.get(k).what(), compilerBytes(dmaIns.get(k)),
                        images.rtlBytes(k), measured.get(k).start(), measured.get(k).cycles(),
                        config.dma().transferCycles(images.rtlBytes(k))));
            }
            long inputCycles = dma.get(0).rtlCycles();
            long storeCycles = dma.get(dma.size() - 1).rtlCycles();
            List<java.math.BigInteger> outBeats = HexImage.read(dir.resolve("dramout.hex"));
            int[] expected = values.get(last.layer());
            int[] actual = last.wide()
                    ? last.pool().decodeOutput(dram.decodeWords(outBeats, last.pool().outputWords(),
                            p.resultWordBits()))
                    : dram.decodeMap(outBeats, last.plan().output().channels(), last.plan().output().height()
                            * last.plan().output().width(), p.activationBits(),
                            model.node(last.layer()).output().type().signed());
            Mismatch out = Mismatch.of(actual, expected, last.plan().output().height(),
                    last.plan().output().width());
            Timing whole = ScheduleTimer.time(program, config);
            return new NetworkCosimResult(model.metadata().name(), layers, out.elements(), out.count(), out.first(),
                    RtlCycles.readTotal(dir.resolve("cycles.txt")), inputCycles + modelled + sequencer + storeCycles,
                    sequencer, dma, whole.totalCycles(), wholeRtlBytes.totalCycles(),
                    wholeRtlBytes.totalCycles() + sequencer + fromSimulator, waitsAsModelled, buildMillis,
                    run.millis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Cycles from a layer's start to its conv controller's start ({@code layer} and {@code conv_pass} fetches): a
     * layer that waits for its weights spends them inside the wait.
     */
    static final int FIRST_FETCH_CYCLES = 2;

    private static long compilerBytes(Instruction ins) {
        if (ins instanceof Instruction.LoadInput li) {
            return li.bytes();
        } else if (ins instanceof Instruction.LoadWeights lw) {
            return lw.bytes();
        }
        return ((Instruction.StoreOutput) ins).bytes();
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
