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
                    "+out_sel=1", "+n_out=0", "+out_dram=0", "+n_out_dram=" + dram.size()));
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
            boolean previousStored = false;
            long fromSimulator = 0;
            LayerCosim convModel = new LayerCosim(config, verilator, workRoot);
            PoolCosim poolModel = new PoolCosim(config, verilator, workRoot);
            List<CosimResult> layers = new ArrayList<>();
            long modelled = 0;
            // the whole DRAM after the run: the network output and every map stored by store_rows
            List<java.math.BigInteger> dramOut = HexImage.read(dir.resolve("dramout.hex"));
            List<java.math.BigInteger> outBeats = dramOut.subList(images.outputBase(), dramOut.size());
            for (int k = 0; k < units.size(); k++) {
                NetworkImages.Unit u = units.get(k);
                LayerPlan plan = u.plan();
                Node node = model.node(u.layer());
                int plane = plan.output().height() * plan.output().width();
                int[] actual = u.wide()
                        ? u.pool().decodeOutput(dram.decodeWords(outBeats, u.pool().outputWords(),
                                p.resultWordBits()))
                        : u.outputInDram()
                        ? dram.decodeRowMajorMap(dramOut, images.dramMap(u.layer()), plan.output().channels(),
                                plan.output().height(), plan.output().width(), p.activationBits(),
                                node.output().type().signed())
                        : layout.decode(HexImage.read(dir.resolve("layer" + k + ".hex")), images.bankWords(),
                                plan.output().channels(), plane, p.activationBits(), node.output().type().signed());
                Mismatch m = Mismatch.of(actual, values.get(u.layer()), plan.output().height(),
                        plan.output().width());
                RtlCycles c = counters.get(k);
                if (u.isConv()) {
                    LayerTiming sim = convModel.standaloneTiming(program, plan, u.passes());
                    // the simulator's DMA waits: stalls beyond the layer alone (at its start: its weights or its
                    // first input rows), and a staged output's store tail (the layer ends when its last store does)
                    LayerTiming whole = wholeLayers.get(u.layer());
                    long waitSim = whole.stallCycles() - sim.stallCycles();
                    long tailSim = whole.drainCycles() - sim.drainCycles();
                    // the first conv layer's first preload is exposed; every later one's overlaps the previous conv
                    // layer's last pass, as in the simulator, unless the layer waits for the DMA at its start (its
                    // weights loaded after the previous layer's stores, docs/rtl.md §3): then the preload follows
                    // the load, in both
                    long exposed = firstConv || (waitSim > 0 && c.weightWait() > 0)
                            ? u.conv().firstPreloadCycles() : 0;
                    LayerCosimResult r = new LayerCosimResult(u.layer(), m.elements(), m.count(), m.first(),
                            u.passes().size(), c, sim, exposed, base.drainCycles()
                            + u.conv().lastPassRequantizerTail(), u.conv().lastPassTaps() - 1, 0, 0);
                    modelled += sim.streamCycles() + sim.stallCycles() + r.firstPreload() + r.expectedRtlDrain()
                            + c.weightWait() + c.storeWait();
                    // against the whole program: the RTL drains T - 1 earlier and, when the layer waits for the DMA
                    // at its start (its weights, or its first input rows), fetches and preloads inside the wait:
                    // the first layer's two fetches, a later layer's also the previous unit's done and the swap,
                    // and the done cycle of a previous layer that ended with a store (docs/rtl.md §3); a staged
                    // output's layer sees its last store complete one cycle after the store's last beat
                    long hidden = FIRST_FETCH_CYCLES + (firstConv ? 0 : HANDOVER_CYCLES)
                            + (previousStored ? STORE_DONE_CYCLES : 0);
                    long delta = r.firstPreload() - r.simulatorDrainExcess();
                    if (waitSim > 0) {
                        delta -= u.conv().firstPreloadCycles() + hidden;
                        waitsAsModelled &= r.firstPreload() > 0
                                && c.weightWait() == waitSim - r.firstPreload() - hidden;
                    } else {
                        waitsAsModelled &= c.weightWait() == 0;
                    }
                    if (u.outputInDram()) {
                        delta += STORE_DONE_CYCLES;
                        waitsAsModelled &= c.storeWait() == tailSim + STORE_DONE_CYCLES;
                    } else {
                        waitsAsModelled &= c.storeWait() == 0 && tailSim == 0;
                    }
                    previousStored = u.outputInDram();
                    fromSimulator += delta;
                    firstConv = false;
                    layers.add(r);
                } else {
                    PoolCosimResult r = new PoolCosimResult(u.layer(), node.op().kind(), m.elements(), m.count(),
                            m.first(), 1, c, u.pool().modelledCycles(), poolModel.standaloneTiming(program, plan),
                            0, 0);
                    modelled += r.modelledCycles();
                    // not delayed in the whole program, and PI channels a cycle in both: no stated difference
                    waitsAsModelled &= wholeLayers.get(u.layer()).cycles() == r.simulator().cycles();
                    previousStored = false;
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

    /**
     * Sequencer cycles between a conv layer's done and the next layer's fetches: the cycle it sees the done and the
     * {@code swap_buffers}; inside the next layer's wait when that layer waits for the DMA at its start.
     */
    static final int HANDOVER_CYCLES = 2;

    /**
     * A layer whose output is in DRAM ends when its last {@code store_rows} does; the controller sees the DMA's count
     * of completed stores one cycle after the store's last beat, where the simulator's layer ends.
     */
    static final int STORE_DONE_CYCLES = 1;

    private static long compilerBytes(Instruction ins) {
        if (ins instanceof Instruction.LoadInput li) {
            return li.bytes();
        } else if (ins instanceof Instruction.LoadWeights lw) {
            return lw.bytes();
        } else if (ins instanceof Instruction.LoadRows lr) {
            return lr.bytes();
        } else if (ins instanceof Instruction.StoreRows sr) {
            return sr.bytes();
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
