package io.lowbit.rtl.cosim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.accel.Fixtures;
import io.lowbit.accel.TestNets;
import io.lowbit.accel.compile.AcceleratorCompiler;
import io.lowbit.accel.compile.Instruction;
import io.lowbit.accel.compile.Program;
import io.lowbit.accel.config.AcceleratorConfigs;
import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.QuantizedType;
import io.lowbit.core.engine.ReferenceEngine;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.Input;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.IntegerModelBuilder;
import io.lowbit.core.model.Shape;
import io.lowbit.core.model.Window;
import io.lowbit.rtl.InstructionFormat;
import io.lowbit.rtl.RtlParameters;
import io.lowbit.rtl.RtlTools;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The memories sized from the configuration (docs/rtl.md §4, "Block RAM per memory"): weight banks of the configured
 * bytes, bias banks of one block-RAM column, an instruction memory of {@link RtlParameters#DEFAULT_IMEM_DEPTH}
 * narrow words (a conv layer is one instruction, its pass loop); and the images that do not fit them rejected when they are built, naming what and by how much.
 */
class MemorySizingTest {

    private static final RtlParameters PRESET = RtlTools.preset();

    @Test
    void presetMemoriesAreTheConfiguredOnes() {
        assertEquals(6144, PRESET.wmemDepth());   // 24,576 B of 32-bit index words (rows of two: 3,072 × 64 bits)
        assertEquals(512, PRESET.bmemDepth());    // one 512-row column of 128-bit bias words (2,048 channels)
        assertEquals(512, PRESET.imemDepth());    // one instruction per conv layer (the pass loop): NIN needs 36
        // 6 flags + T, slots 5 + 5 + in_count 3 + out_count 7 + d 16 + weight base 13 + loads 16 + bias base 9
        // + r0 2 + input address 13 + pixel base 13 + input bank 3 + w6, w7 64
        assertEquals(175, new InstructionFormat(PRESET).bits());
        // slots narrower than a beat: words in slots rounded up to whole rows of a beat
        assertEquals(6, RtlParameters.weightBankWords(20, 32, 64));
        assertEquals(6, RtlParameters.weightBankWords(24, 32, 64));
        // a slot as wide as a beat or wider: rows of the word's own bits, no slot padding (4 × 12 RCAs × 2 bits =
        // 96-bit words in 128-bit DRAM slots: 24,576 B hold 2,048 of them, not 1,536)
        assertEquals(2048, RtlParameters.weightBankWords(24_576, 96, 64));
        assertEquals(3072, RtlParameters.weightBankWords(24_576, 64, 64));
        assertEquals(4096, RtlParameters.weightBankWords(24_576, 48, 64));
        assertEquals(256, RtlParameters.biasBankWords(4096, 128, 64));     // the configured bytes as biases ...
        assertEquals(512, RtlParameters.biasBankWords(24_576, 128, 64));   // ... capped at one column
        assertEquals(1024, RtlParameters.biasBankWords(1 << 20, 32, 64));       // 2 words per 64-bit row
    }

    @Test
    void instructionsPackAndUnpackExactly() {
        InstructionFormat f = new InstructionFormat(PRESET);
        long[] w = {1 | 2 | (0 << 2) | (1 << 4) | (1 << 5) | (9 << 8) | (2 << 16) | (3L << 24),
            8 | (2 << 16) | (2L << 24), 6143 | (7L << 16), 511 | (3L << 24), 0x1FFF, 0x1234 | (7L << 24),
            0xFFFF | (0xBEEFL << 16), 32 | (34L << 16)};
        BigInteger stored = f.pack(w, "test");
        assertTrue(stored.bitLength() <= f.bits());
        assertArrayEquals(w, f.unpack(stored));
        // w4 and w5's pixel base are exact modulo 2^BA_W (a negative input address: padding rows)
        long[] negative = w.clone();
        negative[4] = -34;
        assertEquals((-34) & 0x1FFF, f.unpack(f.pack(negative, "test"))[4]);
    }

    @Test
    void aFieldTooWideForTheStoredWordIsRejected() {
        InstructionFormat f = new InstructionFormat(PRESET);
        long[] w = new long[8];
        w[3] = 512; // bias base: 9 bits for the 512-word bias bank
        var e = assertThrows(IllegalArgumentException.class, () -> f.pack(w, "instruction 7"));
        assertTrue(e.getMessage().contains("instruction 7: bias base = 512 does not fit the 9-bit field"),
                e.getMessage());
        long[] stray = new long[8];
        stray[0] = 1 << 6;
        e = assertThrows(IllegalArgumentException.class, () -> f.pack(stray, "instruction 8"));
        assertTrue(e.getMessage().contains("instruction 8: w0 flags and opcode = 64 does not fit"), e.getMessage());
    }

    @Test
    void aProgramLongerThanTheInstructionMemoryIsRejected() throws Exception {
        IntegerModel nin = Fixtures.nin05ClipQ();
        Program program = new AcceleratorCompiler(AcceleratorConfigs.pynqZ2ClipQ()).compile(nin);
        Map<String, int[]> values = values(nin, Fixtures.cifarMiniTestImage(0));
        NetworkImages images = new NetworkImages(PRESET, program, nin, values);
        assertEquals(36, images.program().instructions());
        var e = assertThrows(IllegalArgumentException.class,
                () -> new NetworkImages(PRESET.withInstructionDepth(32), program, nin, values));
        assertEquals("the program has 36 instructions, more than the 32 the instruction memory holds"
                + " (RtlParameters.imemDepth)", e.getMessage());
    }

    @Test
    void aWeightTileLargerThanItsBankIsRejected() {
        // a 1×1 classifier of 10 channels on 1,024 (2×2 maps): the compiler's tile is 2,605 B (indexes, codebook,
        // biases), the RTL's 6,400 words: 256 input groups × 25 slots (10 of a pass's 100 output channels used)
        SplittableRandom rng = new SplittableRandom(3);
        IntegerModelBuilder b = IntegerModel.builder("wide-classifier");
        b.input("input", Input.codes(Shape.chw(3, 2, 2), new QuantizedType(IntType.INT8, 0)), 1.0 / 32);
        b.node("conv1", TestNets.conv(rng, 3, 1024, Window.square(1, 1, 0), 1), 1.0 / 32, "input");
        b.node("conv2", TestNets.conv(rng, 1024, 10, Window.square(1, 1, 0), 1), 1.0 / 32, "conv1");
        IntegerModel model = b.build("conv2");
        Program program = new AcceleratorCompiler(AcceleratorConfigs.pynqZ2ClipQ()).compile(model);
        Instruction.LoadWeights last = program.instructions(Instruction.LoadWeights.class).stream()
                .reduce((x, y) -> y).orElseThrow();
        assertEquals(2605, last.bytes(), "the compiler's tile fits its 24,576 B bank");
        var e = assertThrows(IllegalArgumentException.class, () -> new NetworkImages(PRESET, program, model,
                values(model, TestNets.image(model, rng))));
        assertTrue(e.getMessage().startsWith("conv2: weight tile 1 (output channels 0..9, 2605 B as the compiler"
                + " counts it) needs 6400 weight words of 32 bits"), e.getMessage());
        assertTrue(e.getMessage().contains("more than the weight bank's 6144"), e.getMessage());
    }

    @Test
    void aPreloadedLayerLargerThanBankZeroIsRejectedAsSuch() {
        // a layer run alone has all its weight blocks preloaded into bank 0: 2,048 input channels are 512 input
        // groups × 25 slots = 12,800 words, past the bank's 6,144 and past the 13-bit weight-base field; the bank is
        // named, not the field the overflow would otherwise surface in when the passes are packed
        SplittableRandom rng = new SplittableRandom(5);
        IntegerModelBuilder b = IntegerModel.builder("wide-layer");
        b.input("input", Input.codes(Shape.chw(2048, 2, 2), new QuantizedType(IntType.INT8, 0)), 1.0 / 32);
        b.node("conv1", TestNets.conv(rng, 2048, 10, Window.square(1, 1, 0), 1), 1.0 / 32, "input");
        IntegerModel model = b.build("conv1");
        Program program = new AcceleratorCompiler(AcceleratorConfigs.pynqZ2ClipQ()).compile(model);
        var node = model.node("conv1");
        var e = assertThrows(IllegalArgumentException.class, () -> new LayerImages(PRESET, program.layer("conv1"),
                (Conv2d) node.op(), model.node(node.input()).output(), node.output(),
                program.instructions(Instruction.ConvPass.class), new ProgramImages(PRESET)));
        assertEquals("conv1's 12800 weight words (its blocks padded to whole input and output groups) exceed weight"
                + " bank 0's 6144 words (buffers.weightBankBytes; docs/rtl.md §1)", e.getMessage());
    }

    @Test
    void aWeightTileWithMoreBiasWordsThanItsBankIsRejected() {
        SplittableRandom rng = new SplittableRandom(4);
        IntegerModel model = TestNets.convChain(rng, new int[] {16, 120}, new int[] {3, 1});
        Program program = new AcceleratorCompiler(AcceleratorConfigs.pynqZ2ClipQ()).compile(model);
        RtlParameters small = PRESET.withMemories(PRESET.psumEntries(), PRESET.imemDepth(), PRESET.wmemDepth(), 32,
                PRESET.fmDepth(), PRESET.resultDepth());
        var e = assertThrows(IllegalArgumentException.class, () -> new NetworkImages(small, program, model,
                values(model, TestNets.image(model, rng))));
        // conv2: 120 channels = 2 output groups of 25 slots (its 120×32×32 output fits the preset's buffer 0)
        assertTrue(e.getMessage().startsWith("conv2: weight tile 1 (output channels 0..119"), e.getMessage());
        assertTrue(e.getMessage().contains("needs 50 bias words (one per kernel slot of each output group), more"
                + " than the bias bank's 32"), e.getMessage());
    }

    private static Map<String, int[]> values(IntegerModel model, byte[] image) {
        Map<String, int[]> values = new HashMap<>();
        new ReferenceEngine().run(model, image, (n, t) -> values.put(n.id(), t.toArray()));
        return values;
    }
}
