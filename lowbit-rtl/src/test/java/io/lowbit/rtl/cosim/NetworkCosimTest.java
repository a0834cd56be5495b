package io.lowbit.rtl.cosim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.accel.Fixtures;
import io.lowbit.accel.TestNets;
import io.lowbit.accel.compile.AcceleratorCompiler;
import io.lowbit.accel.compile.Instruction;
import io.lowbit.accel.compile.Program;
import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.config.AcceleratorConfigs;
import io.lowbit.accel.config.BufferSizes;
import io.lowbit.accel.config.Multipliers;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.rtl.RtlParameters;
import io.lowbit.rtl.RtlTools;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The whole trained CLIP-Q NIN (9 conv layers, 3 pools) in one simulation of the {@code pynq-z2-clipq} RTL on a
 * CIFAR-10 test image, with its DMA: the input, every weight tile and the logits move between the testbench's
 * DRAM and the accelerator. Every layer's output and the int16 logits (read from DRAM) bit-exact with the integer
 * engine, every layer in its modelled cycles, every transfer {@code latency + beats}, and the run equal to
 * {@code ScheduleTimer}'s whole program plus the stated per-layer differences (docs/rtl.md §3).
 */
class NetworkCosimTest {

    @Test
    void ninRunsInOneSimulationBitExactInTheModelledCycles() throws Exception {
        IntegerModel nin = Fixtures.nin05ClipQ();
        NetworkCosim cosim = new NetworkCosim(AcceleratorConfigs.pynqZ2ClipQ(), RtlTools.verilator(),
                Path.of("target", "cosim-network").toAbsolutePath());
        NetworkCosimResult r = cosim.run(nin, Fixtures.cifarMiniTestImage(0));
        System.out.println("[NetworkCosim] " + r.summary());
        assertEquals(12, r.layers().size());
        assertEquals(10, r.outputElements());
        assertTrue(r.bitExact(), r.summary());
        assertTrue(r.cyclesAsModelled(), r.summary());

        // the DMA: load_input, 10 weight tiles (conv7 has two: double buffering within a layer), store_output;
        // the RTL's bytes against the compiler's (docs/rtl.md §2, "DRAM image"): the input and the output agree
        // in beats, the weight tiles carry the RTL's padding (unused RCAs and kernel slots, one 32-bit bias per
        // slot and module) and not the codebook and shift (in the layer descriptor)
        assertEquals(12, r.dma().size());
        assertEquals(List.of(4096L, 521L, 1285L, 2309L, 10565L, 1541L, 2693L, 22885L, 19365L, 4997L, 285L, 20L),
                r.dma().stream().map(NetworkCosimResult.Dma::compilerBytes).toList());
        assertEquals(List.of(4096L, 624L, 1600L, 2400L, 10560L, 1600L, 2800L, 22880L, 19360L, 5200L, 2800L, 24L),
                r.dma().stream().map(NetworkCosimResult.Dma::rtlBytes).toList());
        // exact cycles: the simulator with the compiler's bytes, with the RTL's (conv1's weights: 142 instead of
        // 130 cycles, all other loads hidden), and the RTL: + 49 sequencer cycles − Σ per conv layer (T(last) − 1)
        // (conv1, conv4, conv7: 3×3, T = 9; the 1×1 layers: 0), − 2 for conv1, which waits for its weights (its two
        // fetches are inside the wait); every later first preload overlaps the previous conv layer, as simulated
        // (4 KiB psum buffers: 371,315 / 371,327 / 371,350 with the paper's 16 KiB; every map of the half-width
        // NIN fits its buffer)
        assertEquals(372_281, r.simulatorCycles());
        assertEquals(372_293, r.simulatorRtlBytesCycles());
        assertEquals(49, r.sequencerCycles());
        assertEquals(372_293 + 49 - 3 * (9 - 1) - 2, r.rtlCycles());
        assertEquals(372_316, r.rtlCycles());
        LayerCosimResult conv1 = (LayerCosimResult) r.layers().get(0);
        assertEquals(142 - 2, conv1.rtl().weightWait());
        assertEquals(18, conv1.firstPreload());
        LayerCosimResult conv2 = (LayerCosimResult) r.layers().get(1);
        assertEquals(0, conv2.firstPreload());
        assertEquals(conv2.simulator().stallCycles(), conv2.rtl().stall());
    }

    /**
     * A network ending in a conv layer: {@code store_output} moves the output map from a feature-map buffer (12
     * channels: 3 channel groups in 3 banks) to DRAM; a 3×3 and a 1×1 layer, one weight tile each.
     */
    @Test
    void convChainStoresItsOutputMapFromTheFeatureMapBuffer() {
        SplittableRandom rng = new SplittableRandom(5);
        IntegerModel model = TestNets.convChain(rng, new int[] {20, 12}, new int[] {3, 1});
        NetworkCosim cosim = new NetworkCosim(AcceleratorConfigs.pynqZ2ClipQ(), RtlTools.verilator(),
                Path.of("target", "cosim-network-chain").toAbsolutePath());
        NetworkCosimResult r = cosim.run(model, TestNets.image(model, rng));
        System.out.println("[NetworkCosim] " + r.summary());
        assertEquals(12 * 32 * 32, r.outputElements());
        assertTrue(r.bitExact(), r.summary());
        assertTrue(r.cyclesAsModelled(), r.summary());
        NetworkCosimResult.Dma store = r.dma().get(r.dma().size() - 1);
        assertEquals(store.compilerBytes(), store.rtlBytes(), "3 groups × 1,024 words of 4 channels");
    }

    /**
     * Feature maps in DRAM: with a 16 KiB feature-map buffer 1 a 3×3 layer's 32×32×32 output (32 KiB) goes through
     * DRAM (4 store_rows of 8 rows, staged in the halves of buffer 1), and the next 3×3 layer reads it back by row
     * tiles (6 load_rows of up to 8 input rows, halo and the top padding row included, double-buffered in the halves
     * of buffer 1) and writes its 16×32×32 output to buffer 0 (32 KiB), which store_output moves to DRAM. Every map bit-exact (the DRAM-resident one read back from
     * DRAM), every transfer {@code latency + beats}, the total as modelled and equal to {@code ScheduleTimer}'s plus
     * the stated differences.
     */
    @Test
    void featureMapsThroughDramAreStagedByRowTiles() {
        SplittableRandom rng = new SplittableRandom(8);
        IntegerModel model = TestNets.convChain(rng, new int[] {32, 16}, new int[] {3, 3});
        AcceleratorConfig small = smallBuffers(32768, 16384);
        Program program = new AcceleratorCompiler(small).compile(model);
        assertEquals(4, program.instructions(Instruction.StoreRows.class).size());
        assertEquals(6, program.instructions(Instruction.LoadRows.class).size());
        NetworkCosim cosim = new NetworkCosim(small, RtlTools.verilator(),
                Path.of("target", "cosim-network-dram").toAbsolutePath());
        NetworkCosimResult r = cosim.run(model, TestNets.image(model, rng));
        System.out.println("[NetworkCosim] " + r.summary());
        assertTrue(r.bitExact(), r.summary());
        assertTrue(r.cyclesAsModelled(), r.summary());
        List<String> ops = r.dma().stream().map(d -> d.what().split(" ")[0]).toList();
        assertEquals(1 + 2 + 4 + 6 + 1, ops.size());
        assertTrue(ops.contains("load_rows") && ops.contains("store_rows"), ops.toString());
        for (NetworkCosimResult.Dma d : r.dma()) {
            if (d.what().startsWith("load_rows") || d.what().startsWith("store_rows")) {
                assertEquals(d.compilerBytes(), d.rtlBytes(), d.what() + ": rows of 8 groups × 32 words");
            }
        }
        LayerCosimResult conv1 = (LayerCosimResult) r.layers().get(0);
        assertTrue(conv1.rtl().storeWait() > 0, "conv1 ends with its last store_rows");
    }

    /**
     * Words wider than the 64-bit DRAM beat: 12 RCAs make 96-bit feature-map words (128-bit slots, two beats each),
     * 96-bit weight words (stored unpadded: 2,048 in a 24 KiB bank, where 128-bit slots would give 1,536 and refuse
     * conv7's 1,872-word tile) and, behind the trained NIN's global average pool, 192-bit result words of 16-bit
     * window sums (256-bit slots, four beats). The DSE's fastest design for NIN
     * ({@code bench/configs/dse-4x12x18-r9-xc7z020.json}: 4 × 12 × 18, 9 requantizers) runs the whole trained
     * network bit-exact, every transfer in {@code latency + beats}, and the run equals the simulator's plus the stated
     * differences — here also the pools, whose RTL unit takes a word of 12 channels per cycle where the simulator
     * packs 4.
     */
    @Test
    void wordsWiderThanABeatCrossTheDmaSliceBySlice() throws Exception {
        IntegerModel nin = Fixtures.nin05ClipQ();
        AcceleratorConfig preset = AcceleratorConfigs.pynqZ2ClipQ();
        AcceleratorConfig wide = preset.withDatapath("dse-4x12x18-r9", 4, 12, 18, 9,
                new BufferSizes(196_608, 16_384, 24_576, 196_608), preset.dataflow(), 0)
                .withMultipliers("dse-4x12x18-r9", preset.peStyle(), Multipliers.DSP);
        RtlParameters p = RtlParameters.of(wide);
        assertEquals(96, p.fmWordBits());
        assertEquals(2048, p.wmemDepth());
        assertEquals(192, p.resultWordBits());
        NetworkCosim cosim = new NetworkCosim(wide, RtlTools.verilator(),
                Path.of("target", "cosim-network-wide").toAbsolutePath());
        NetworkCosimResult r = cosim.run(nin, Fixtures.cifarMiniTestImage(0));
        System.out.println("[NetworkCosim] " + r.summary());
        assertTrue(r.bitExact(), r.summary());
        assertTrue(r.cyclesAsModelled(), r.summary());
        NetworkCosimResult.Dma input = r.dma().get(0);
        assertEquals(1024 * 16, input.rtlBytes(), "1,024 words of 12 channels, 16 bytes (2 beats) each");
        NetworkCosimResult.Dma output = r.dma().get(r.dma().size() - 1);
        assertEquals(32, output.rtlBytes(), "one 192-bit result word of ten 16-bit sums in a 256-bit slot");
        for (NetworkCosimResult.Dma d : r.dma()) {
            assertEquals(d.modelledCycles(), d.rtlCycles(), d.what());
        }
        // the pools take 8,194, 2,050 and 66 cycles (12 channels a cycle) in both; the simulator took 20,608 more
        // when its pool unit read 4 channels a cycle whatever Pi
        assertEquals(154_852, r.simulatorCycles());
        assertEquals(156_563, r.simulatorRtlBytesCycles());
        assertEquals(156_586, r.rtlCycles());
        assertEquals(r.rtlCycles(), r.expectedFromSimulator());
    }

    /** What the RTL does not stage: a network output in DRAM, rejected by name. */
    @Test
    void aNetworkOutputInDramIsRejected() {
        SplittableRandom rng = new SplittableRandom(8);
        IntegerModel model = TestNets.convChain(rng, new int[] {32}, new int[] {3});
        AcceleratorConfig small = smallBuffers(32768, 16384);
        Program program = new AcceleratorCompiler(small).compile(model);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new NetworkImages(RtlParameters.of(small), program, model, Map.of()));
        assertTrue(e.getMessage().startsWith("store_output of 0 bytes") && e.getMessage().contains("not in the RTL"),
                e.getMessage());
    }

    private static AcceleratorConfig smallBuffers(int buffer0, int buffer1) {
        AcceleratorConfig c = AcceleratorConfigs.pynqZ2ClipQ();
        return new AcceleratorConfig(c.name(), c.description(), c.convModules(), c.rcasPerModule(), c.pesPerRca(),
                c.activationBits(), c.weightBits(), c.accumulatorBits(), c.weightDecoder(), c.requantizer(),
                new BufferSizes(buffer0, c.buffers().psumBytesPerModule(), c.buffers().weightBankBytes(), buffer1),
                c.clockMHz(), c.dma(), c.dataflow(), c.lineBufferWidth(), c.requantizersPerModule(), c.peStyle(),
                c.multipliers());
    }
}
