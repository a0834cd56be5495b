package io.lowbit.accel.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.accel.SequentialModels;
import io.lowbit.accel.TestNets;
import io.lowbit.accel.compile.Instruction;
import io.lowbit.accel.compile.UnsupportedLayerException;
import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.config.AcceleratorConfigs;
import io.lowbit.accel.config.BufferSizes;
import io.lowbit.accel.config.Dataflow;
import io.lowbit.accel.config.DmaConfig;
import io.lowbit.accel.config.RequantizerKind;
import io.lowbit.accel.config.WeightDecoder;
import io.lowbit.core.engine.ReferenceEngine;
import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CycleSimulatorTest {

    private static final ReferenceEngine REFERENCE = new ReferenceEngine();

    @Test
    void ninOnThePaperPresetIsBitExactNodeByNode() {
        IntegerModel nin = TestNets.nin(0.25, 7);
        CycleSimulator sim = new CycleSimulator(AcceleratorConfigs.pynqZ2ClipQ(), nin);
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 3; i++) {
            byte[] image = TestNets.image(nin, rng);
            assertSameNodes(nin, sim, image);
        }
    }

    /** Line buffers: 3×3 layers stream each row once instead of once per strip; results unchanged. */
    @Test
    void lineBuffersSpeedUpThreeByThreeLayersAndStayExact() {
        IntegerModel nin = TestNets.nin(1.0, 3);
        CycleSimulator paper = new CycleSimulator(AcceleratorConfigs.pynqZ2ClipQ(), nin);
        CycleSimulator lb = new CycleSimulator(AcceleratorConfigs.preset("pynq-z2-clipq-linebuffer"), nin);
        LayerTiming conv4 = lb.timing().layer("conv4");
        // 192→96 3×3 on 16×16: 12 output groups × 48 input groups, each streaming 18 padded rows of 18 pixels
        assertEquals(12L * 48 * 18 * 18, conv4.streamCycles());
        assertEquals(paper.timing().layer("conv2").streamCycles(), lb.timing().layer("conv2").streamCycles(),
                "1×1 layers stream the same");
        double speedup = lb.timing().gops() / paper.timing().gops();
        // measured 2.00 (1.97 before the paper preset's requantizers were shared): pools do not gain
        assertTrue(speedup > 1.9, "NIN speed-up " + speedup);
        byte[] image = TestNets.image(nin, new SplittableRandom(6));
        assertArrayEquals(paper.run(image), lb.run(image));
        AcceleratorConfig narrow = AcceleratorConfigs.parse(AcceleratorConfigs.toJson(
                AcceleratorConfigs.preset("pynq-z2-clipq-linebuffer")).replace("\"lineBufferWidth\" : 34",
                "\"lineBufferWidth\" : 20"), "narrow");
        UnsupportedLayerException e = expectUnsupported(narrow, nin);
        assertEquals("conv1", e.layer());
        assertTrue(e.getMessage().contains("line buffers"), e.getMessage());
    }

    /** The pool unit reads Pi channels a cycle, as many as a conv module's RCAs (and the RTL's PI lanes). */
    @Test
    void poolsStreamPiChannelsACycle() {
        IntegerModel nin = TestNets.nin(1.0, 3);
        AcceleratorConfig preset = AcceleratorConfigs.pynqZ2ClipQ();
        for (int pi : new int[] {1, 3, 4, 12}) {
            AcceleratorConfig c = preset.withDatapath("pi" + pi, preset.convModules(), pi, preset.pesPerRca(),
                    preset.requantizersPerModule(), preset.buffers(), preset.dataflow(), 0);
            LayerTiming pool1 = new CycleSimulator(c, nin).timing().layer("pool1");
            // 192 channels, 16×16 outputs, 2×2 windows
            long stream = (192 + pi - 1) / pi * 16L * 16 * 4;
            assertEquals(stream, pool1.streamCycles(), "Pi = " + pi);
            assertEquals(stream + ScheduleTimer.POOL_STAGES, pool1.cycles(), "Pi = " + pi);
        }
    }

    @Test
    void vgg7OnThePaperPresetIsBitExact() {
        IntegerModel vgg = TestNets.vgg7(0.125, 11);
        CycleSimulator sim = new CycleSimulator(AcceleratorConfigs.pynqZ2ClipQ(), vgg);
        assertEquals("linear", sim.program().layer("fc").kind());
        assertSameNodes(vgg, sim, TestNets.image(vgg, new SplittableRandom(2)));
    }

    /** Random chains on random designs whose buffers are just large enough: every tiling path is exercised. */
    @Test
    void randomChainsOnTightDesignsAreBitExact() {
        SplittableRandom rng = new SplittableRandom(2026);
        int tiledRows = 0;
        int tiledWeights = 0;
        int chunked = 0;
        int inDram = 0;
        int outDram = 0;
        for (int n = 0; n < 60; n++) {
            IntegerModel model = SequentialModels.random(rng, false, false);
            CycleSimulator sim = tightSimulator(model, rng);
            for (var plan : sim.program().layers()) {
                tiledRows += plan.isConv() && plan.rowTiles() > 1 ? 1 : 0;
                tiledWeights += plan.weightTiles() > 1 ? 1 : 0;
                chunked += plan.isConv() && plan.mapping().chunks() > 1 ? 1 : 0;
                inDram += plan.inputInDram() ? 1 : 0;
                outDram += plan.outputInDram() ? 1 : 0;
            }
            byte[] image = io.lowbit.core.model.RandomModels.image(model, rng);
            assertSameNodes(model, sim, image);
        }
        assertTrue(tiledRows > 5 && tiledWeights > 5 && chunked > 5 && inDram > 5 && outDram > 5, "coverage: row"
                + " tiles " + tiledRows + ", weight tiles " + tiledWeights + ", chunked kernels " + chunked
                + ", inputs in DRAM " + inDram + ", outputs in DRAM " + outDram);
    }

    @Test
    void timingAddsUpAndIsDataIndependent() {
        IntegerModel nin = TestNets.nin(1.0, 3);
        CycleSimulator sim = new CycleSimulator(AcceleratorConfigs.pynqZ2ClipQ(), nin);
        Timing t = sim.timing();
        long layers = t.layers().stream().mapToLong(LayerTiming::cycles).sum();
        assertEquals(t.totalCycles(), t.inputLoadCycles() + layers + t.outputStoreCycles());
        for (LayerTiming l : t.layers()) {
            assertEquals(l.cycles(), l.streamCycles() + l.stallCycles() + l.drainCycles(), l.layer());
            assertTrue(l.drainCycles() >= 0 && l.stallCycles() >= 0, l.layer());
            assertTrue(l.utilization() <= 1.0, l.layer());
        }
        // papers.md §1.4 layer list: Σ C_out·C_in·k²·H·W over the nine convs
        long ninMacs = 96L * 3 * 9 * 1024 + 160L * 96 * 1024 + 192L * 160 * 1024 + 96L * 192 * 9 * 256
                + 192L * 96 * 256 + 192L * 192 * 256 + 384L * 192 * 9 * 64 + 192L * 384 * 64 + 10L * 192 * 64;
        assertEquals(153_772_032L, ninMacs);
        assertEquals(ninMacs, t.macs());
        assertTrue(t.gops() < t.peakMacsPerCycle() * 2 * t.clockMHz() / 1000, "below the peak");
    }

    @Test
    void sharedRequantizersSpaceTheWindowsOfLastPasses() {
        IntegerModel nin = TestNets.nin(1.0, 3);
        CycleSimulator sim = new CycleSimulator(AcceleratorConfigs.pynqZ2ClipQ(), nin);
        LayerTiming conv2 = sim.timing().layer("conv2");
        // 1×1: each pixel of a last pass completes a window whose 25 outputs per module take 5 cycles in the 5
        // requantizers, so every pixel after a last pass's first waits 4 cycles; no two last passes are adjacent
        List<Instruction.ConvPass> last = sim.program().instructions(Instruction.ConvPass.class).stream()
                .filter(cp -> cp.layer().equals("conv2") && cp.last()).toList();
        long pixels = last.stream().mapToLong(cp -> 32L * cp.rows()).sum();
        assertEquals(2L * 1024, pixels);
        assertEquals(4 * (pixels - last.size()), conv2.stallCycles());
        assertEquals(2L * 24 * 1024, conv2.streamCycles()); // the stream itself is unchanged
        // taps + tree + psum + requantize + 4 more batches, then the last store_rows: the preset's 131,072 B buffer 0
        // does not hold conv2's 160×32×32 output, which goes through DRAM one output row (5,120 B) at a time
        assertEquals(1 + 2 + 1 + 2 + 4 + (64 + 160 * 32 / 8), conv2.drainCycles());
        // 3×3 (2 slots per module) never waits
        assertEquals(0, sim.timing().layer("conv4").stallCycles());
    }

    @Test
    void streamCyclesFollowTheStripSchedule() {
        IntegerModel nin = TestNets.nin(1.0, 3);
        Timing t = new CycleSimulator(AcceleratorConfigs.pynqZ2ClipQ(), nin).timing();
        // conv1: 3→96, 3×3 on 32×32: 2 kernels/RCA × 4 modules = 8 channels per pass, 12 output groups in 2 row
        // tiles of 16 rows (4 KiB psum buffers: 1,024 partial sums = 2 slots × 16 rows × 32 columns), each pass
        // streaming 32 strips × 3 columns × 18 rows (16 output rows with the 3-row window: 2 halo or padding rows).
        LayerTiming conv1 = t.layer("conv1");
        assertEquals(24, conv1.passes());
        assertEquals(24L * 32 * 3 * 18, conv1.streamCycles());
        // conv2: 96→160, 1×1: 100 channels per pass → 2 groups × 24 input groups, 1024 pixels each, in row tiles
        LayerTiming conv2 = t.layer("conv2");
        assertEquals(2L * 24 * 1024, conv2.streamCycles());
    }

    @Test
    void unsupportedLayersNameTheLayerAndTheLimit() {
        AcceleratorConfig paper = AcceleratorConfigs.pynqZ2ClipQ();
        SplittableRandom rng = new SplittableRandom(5);
        IntegerModel everyOp = io.lowbit.core.model.SampleModels.everyOp();
        var e = expectUnsupported(paper, everyOp);
        assertTrue(e.getMessage().contains("layer '"), e.getMessage());

        IntegerModel plain = null;
        for (int i = 0; plain == null && i < 200; i++) {
            IntegerModel m = SequentialModels.random(rng, false, false);
            if (m.nodes().stream().anyMatch(n -> n.op() instanceof io.lowbit.core.model.Conv2d c
                    && c.weights() instanceof io.lowbit.core.model.IntegerWeights)) {
                plain = m;
            }
        }
        e = expectUnsupported(paper, plain);
        assertTrue(e.getMessage().contains("codebook indexes") || e.getMessage().contains("multiplier")
                || e.getMessage().contains("wider"), e.getMessage());

        AcceleratorConfig tinyPsum = withBuffers(paper, new BufferSizes(196608, 64, 24576));
        e = expectUnsupported(tinyPsum, TestNets.nin(0.25, 1));
        assertEquals("conv1", e.layer());
        assertTrue(e.getMessage().contains("psum buffer"), e.getMessage());

        AcceleratorConfig tinyMaps = withBuffers(paper, new BufferSizes(4096, 16384, 24576));
        e = expectUnsupported(tinyMaps, TestNets.nin(0.25, 1));
        assertTrue(e.getMessage().contains("feature-map buffer"), e.getMessage());

        AcceleratorConfig tinyWeights = withBuffers(paper, new BufferSizes(196608, 16384, 128));
        e = expectUnsupported(tinyWeights, TestNets.nin(1, 1));
        assertTrue(e.getMessage().contains("weight bank"), e.getMessage());
    }

    @Test
    void ninNeedsWeightTilesWhenTheBankIsSmall() {
        AcceleratorConfig paper = AcceleratorConfigs.pynqZ2ClipQ();
        AcceleratorConfig small = withBuffers(paper, new BufferSizes(196608, 16384, 12000));
        IntegerModel nin = TestNets.nin(1, 4);
        CycleSimulator sim = new CycleSimulator(small, nin);
        assertTrue(sim.program().layer("conv8").weightTiles() > 1);
        byte[] image = TestNets.image(nin, new SplittableRandom(3));
        assertArrayEquals(REFERENCE.run(nin, image), sim.run(image));
        long loads = sim.program().instructions(Instruction.LoadWeights.class).size();
        assertTrue(loads > 9, "loads " + loads);
    }

    /** Feature maps larger than the buffers stream through DRAM by row tiles; results stay exact. */
    @Test
    void convChainsLargerThanTheBuffersStreamThroughDram() {
        SplittableRandom rng = new SplittableRandom(8);
        IntegerModel model = TestNets.convChain(rng, new int[] {96, 160, 192, 10}, new int[] {3, 1, 3, 1});
        AcceleratorConfig paper = AcceleratorConfigs.pynqZ2ClipQ();
        AcceleratorConfig small = withBuffers(paper, new BufferSizes(65536, 16384, 24576));
        CycleSimulator sim = new CycleSimulator(small, model);
        var conv2 = sim.program().layer("conv2");
        assertTrue(conv2.inputInDram() && conv2.outputInDram(), conv2.toString());
        assertTrue(sim.program().instructions(Instruction.LoadRows.class).size() > 4);
        assertTrue(sim.program().instructions(Instruction.StoreRows.class).size() > 4);
        byte[] image = TestNets.image(model, rng);
        assertSameNodes(model, sim, image);
        Timing onChip = new CycleSimulator(paper, model).timing();
        Timing viaDram = sim.timing();
        assertTrue(viaDram.dramBytes() > onChip.dramBytes() + 2 * 96 * 1024, viaDram.dramBytes() + " vs "
                + onChip.dramBytes());
        assertTrue(viaDram.totalCycles() >= onChip.totalCycles());
        long layers = viaDram.layers().stream().mapToLong(LayerTiming::cycles).sum();
        assertEquals(viaDram.totalCycles(), viaDram.inputLoadCycles() + layers + viaDram.outputStoreCycles());
    }

    @Test
    void batchEqualsSingleRuns() {
        IntegerModel nin = TestNets.nin(0.25, 9);
        CycleSimulator sim = new CycleSimulator(AcceleratorConfigs.pynqZ2ClipQ(), nin);
        SplittableRandom rng = new SplittableRandom(4);
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            images.add(TestNets.image(nin, rng));
        }
        int[][] batch = sim.runBatch(images);
        for (int i = 0; i < images.size(); i++) {
            assertArrayEquals(REFERENCE.run(nin, images.get(i)), batch[i]);
        }
    }

    static void assertSameNodes(IntegerModel model, CycleSimulator sim, byte[] image) {
        Map<String, IntTensor> expected = REFERENCE.runAllNodes(model, image);
        Map<String, IntTensor> actual = new LinkedHashMap<>();
        int[] out = sim.run(image, (node, t) -> actual.put(node.id(), t));
        assertEquals(expected.keySet(), actual.keySet());
        for (String id : expected.keySet()) {
            int[] e = expected.get(id).toArray();
            int[] a = actual.get(id).toArray();
            for (int i = 0; i < e.length; i++) {
                if (e[i] != a[i]) {
                    throw new AssertionError(model.metadata().name() + " node '" + id + "' element " + i + ": engine "
                            + e[i] + ", simulator " + a[i] + "\nprogram layers: " + sim.program().layers());
                }
            }
        }
        assertArrayEquals(expected.get(model.outputId()).toArray(), out);
    }

    private static UnsupportedLayerException expectUnsupported(AcceleratorConfig config, IntegerModel model) {
        try {
            new CycleSimulator(config, model);
        } catch (UnsupportedLayerException e) {
            return e;
        }
        throw new AssertionError("compiled, but should not: " + model.metadata().name());
    }

    /** A random design (plain weights, multiplier requantizer) whose buffers are doubled until the model fits. */
    private static CycleSimulator tightSimulator(IntegerModel model, SplittableRandom rng) {
        int modules = rng.nextInt(1, 5);
        int rcas = rng.nextInt(1, 6);
        int pes = new int[] {9, 16, 25}[rng.nextInt(3)];
        boolean lineBuffers = rng.nextBoolean();
        int fmap = 64;
        int psum = 16;
        int weights = 64;
        for (int attempt = 0; attempt < 64; attempt++) {
            AcceleratorConfig c = new AcceleratorConfig("tight", "", modules, rcas, pes, 8, 8, 32,
                    WeightDecoder.plain(), RequantizerKind.MULTIPLIER, new BufferSizes(fmap, psum, weights), 100,
                    new DmaConfig(rng.nextInt(1, 17), rng.nextInt(0, 100)), lineBuffers ? Dataflow.LINE_BUFFER
                            : Dataflow.STRIP, lineBuffers ? 64 : 0);
            try {
                return new CycleSimulator(c, model);
            } catch (UnsupportedLayerException e) {
                String m = e.getMessage();
                if (m.contains("feature-map buffer")) {
                    fmap *= 2;
                } else if (m.contains("psum buffer")) {
                    psum *= 2;
                } else if (m.contains("weight bank")) {
                    weights *= 2;
                } else {
                    throw e;
                }
            }
        }
        throw new AssertionError("no design fits " + model.metadata().name());
    }

    private static AcceleratorConfig withBuffers(AcceleratorConfig c, BufferSizes buffers) {
        return new AcceleratorConfig(c.name(), c.description(), c.convModules(), c.rcasPerModule(), c.pesPerRca(),
                c.activationBits(), c.weightBits(), c.accumulatorBits(), c.weightDecoder(), c.requantizer(), buffers,
                c.clockMHz(), c.dma(), c.dataflow(), c.lineBufferWidth(), c.requantizersPerModule(), c.peStyle(), c.multipliers());
    }
}
