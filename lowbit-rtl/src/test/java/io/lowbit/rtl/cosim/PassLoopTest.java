package io.lowbit.rtl.cosim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.accel.Fixtures;
import io.lowbit.accel.TestNets;
import io.lowbit.accel.compile.AcceleratorCompiler;
import io.lowbit.accel.compile.Instruction;
import io.lowbit.accel.compile.LayerPlan;
import io.lowbit.accel.compile.Program;
import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.config.AcceleratorConfigs;
import io.lowbit.accel.config.BufferSizes;
import io.lowbit.accel.config.Dataflow;
import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.QuantizedType;
import io.lowbit.core.engine.ReferenceEngine;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.Input;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.IntegerModelBuilder;
import io.lowbit.core.model.MaxPool;
import io.lowbit.core.model.Node;
import io.lowbit.core.model.Shape;
import io.lowbit.core.model.Window;
import io.lowbit.rtl.RtlParameters;
import io.lowbit.rtl.RtlTools;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The per-layer pass loop (docs/rtl.md §2, "Pass loop"): a conv layer costs one instruction whatever its pass count,
 * so whole networks fit the 512-entry instruction memory; the loop is derived from the compiler's passes and checked
 * against them (the co-simulation tests run it on the RTL).
 */
class PassLoopTest {

    private static final RtlParameters PRESET = RtlTools.preset();

    @Test
    void theFixtureNinIsThreeInstructionsPerLayer() throws Exception {
        IntegerModel nin = Fixtures.nin05ClipQ();
        Program program = new AcceleratorCompiler(AcceleratorConfigs.pynqZ2ClipQ()).compile(nin);
        NetworkImages images = new NetworkImages(PRESET, program, nin, values(nin, Fixtures.cifarMiniTestImage(0)));
        assertEquals(2188, program.instructions(Instruction.ConvPass.class).size()); // 1,094 with 16 KiB psum
        // 12 layer + 9 conv_pass + 3 pool_pass + 12 swap_buffers (2,215 with a conv_pass per pass)
        assertEquals(36, images.program().instructions());
    }

    @Test
    void theFullWidthNinFitsTheInstructionMemory() {
        SplittableRandom rng = new SplittableRandom(11);
        IntegerModel nin = TestNets.nin(1.0, 11);
        Program program = new AcceleratorCompiler(AcceleratorConfigs.pynqZ2ClipQ()).compile(nin);
        // 4 KiB psum buffers: 8,632 passes (4,316 with 16 KiB); conv2's output (160×32×32) through DRAM
        assertEquals(8632, program.instructions(Instruction.ConvPass.class).size());
        assertEquals(32, program.instructions(Instruction.StoreRows.class).size());
        assertEquals(32, program.instructions(Instruction.LoadRows.class).size());
        NetworkImages images = new NetworkImages(PRESET, program, nin, values(nin, TestNets.image(nin, rng)));
        assertEquals(512, PRESET.imemDepth());
        assertEquals(36, images.program().instructions());    // 8,659 with an instruction per pass
        assertEquals(PRESET, images.sizedParameters(PRESET));
    }

    /**
     * Row-tile nests through DRAM: a staged layer's passes alternate between the halves of its buffer (input
     * address and output pixel base), which the loop generates and the images verify; a pass list staging a row
     * tile in the other half is rejected.
     */
    @Test
    void rowTileNestsThroughDramAreLooped() {
        SplittableRandom rng = new SplittableRandom(8);
        IntegerModel model = TestNets.convChain(rng, new int[] {32, 16}, new int[] {3, 3});
        AcceleratorConfig preset = AcceleratorConfigs.pynqZ2ClipQ();
        BufferSizes b = preset.buffers();
        AcceleratorConfig small = preset.withDatapath("pynq-z2-clipq-16k-maps", preset.convModules(),
                preset.rcasPerModule(), preset.pesPerRca(), preset.requantizersPerModule(),
                new BufferSizes(32768, b.psumBytesPerModule(), b.weightBankBytes(), 16384), Dataflow.STRIP, 0);
        Program program = new AcceleratorCompiler(small).compile(model);
        RtlParameters p = RtlParameters.of(small);
        NetworkImages images = new NetworkImages(p, program, model, values(model, TestNets.image(model, rng)));
        assertEquals(6, images.program().instructions());
        List<NetworkImages.Unit> units = images.units();
        assertTrue(units.get(0).staging().output() && !units.get(0).staging().input());
        assertTrue(units.get(1).staging().input() && !units.get(1).staging().output());
        // conv2: 6 row tiles of up to 6 rows, R = 8 input rows staged per plane, halves of 256 words per bank
        assertEquals(6, units.get(1).staging().jobs());
        assertEquals(8 * 32, units.get(1).staging().inPlane());
        assertEquals(p.fmBankWords(1) / 2, units.get(1).staging().halfWords());

        List<Instruction.ConvPass> passes = passesOf(program, "conv2");
        LayerPlan plan = program.layer("conv2");
        Node node = model.node("conv2");
        List<Instruction.ConvPass> wrongHalf = new ArrayList<>(passes);
        Instruction.ConvPass cp = passes.get(0);
        wrongHalf.set(0, new Instruction.ConvPass(cp.layer(), cp.bank(), cp.group(), cp.outStart(), cp.outCount(),
                cp.inStart(), cp.inCount(), cp.chunk(), cp.rowStart(), cp.rows(), cp.first(), cp.last(), 1));
        var e = assertThrows(IllegalArgumentException.class, () -> new LayerImages(p, plan, (Conv2d) node.op(),
                model.node(node.input()).output(), node.output(), wrongHalf, new ProgramImages(p),
                java.util.Collections.nCopies(passes.size(), 1), (t, w0, w1, b0, b1) -> { },
                units.get(1).staging(), 1));
        assertTrue(e.getMessage().startsWith("conv2: pass 0 reads input half 1, the RTL stages row tile 0 in half 0"),
                e.getMessage());
    }

    @Test
    void aFullWidthVgg7FitsTheInstructionMemory() {
        IntegerModel vgg = vgg7Convolutional();
        SplittableRandom rng = new SplittableRandom(12);
        Program program = new AcceleratorCompiler(AcceleratorConfigs.pynqZ2ClipQ()).compile(vgg);
        int passes = program.instructions(Instruction.ConvPass.class).size();
        NetworkImages images = new NetworkImages(PRESET, program, vgg, values(vgg, TestNets.image(vgg, rng)));
        // 10 layer + 7 conv_pass + 3 pool_pass + 10 swap_buffers
        assertEquals(30, images.program().instructions());
        assertTrue(passes > 16_000, passes + " passes");
        System.out.println("[PassLoopTest] full-width VGG7 (fc as a 4x4 conv): " + passes + " conv passes, "
                + images.program().instructions() + " instructions");
    }

    @Test
    void passesTheLoopCannotExpressAreRejectedByLayerAndPass() throws Exception {
        IntegerModel nin = Fixtures.nin05ClipQ();
        Program program = new AcceleratorCompiler(AcceleratorConfigs.pynqZ2ClipQ()).compile(nin);
        List<Instruction.ConvPass> passes = passesOf(program, "conv2");
        LayerPlan plan = program.layer("conv2");
        Node node = nin.node("conv2");
        Conv2d op = (Conv2d) node.op();
        // the compiler's passes are accepted
        new LayerImages(PRESET, plan, op, nin.node(node.input()).output(), node.output(), passes,
                new ProgramImages(PRESET));
        // input groups 1 and 2 of the first output group swapped: the loop would run group 1 as pass 1
        List<Instruction.ConvPass> swapped = new ArrayList<>(passes);
        swapped.set(1, passes.get(2));
        swapped.set(2, passes.get(1));
        var e = assertThrows(IllegalArgumentException.class, () -> new LayerImages(PRESET, plan, op,
                nin.node(node.input()).output(), node.output(), swapped, new ProgramImages(PRESET)));
        assertTrue(e.getMessage().startsWith("conv2: pass 1 of 384 (outStart 0, outCount 80, inStart 8, inCount 4,"
                + " chunk 0, rowStart 0, rows 1) is not the pass the layer's pass loop generates (1 weight tile of 1"
                + " output groups (last 1) × 32 row tiles × 12 input groups × 1 chunk): input bank is 2, the loop"
                + " gives 1"),
                e.getMessage());
        // a row tile run twice: the loop cannot repeat one
        List<Instruction.ConvPass> repeated = new ArrayList<>(passes.subList(0, 12));
        repeated.addAll(passes.subList(0, 12));
        repeated.addAll(passes.subList(24, passes.size()));
        e = assertThrows(IllegalArgumentException.class, () -> new LayerImages(PRESET, plan, op,
                nin.node(node.input()).output(), node.output(), repeated, new ProgramImages(PRESET)));
        assertTrue(e.getMessage().startsWith("conv2: pass 12 of 384 (outStart 0, outCount 80, inStart 0, inCount 4,"
                + " chunk 0, rowStart 0, rows 1, first)"), e.getMessage());
        assertTrue(e.getMessage().contains(": input address is 0, the loop gives 32"), e.getMessage());
    }

    /** VGG7's convolutions and pools at full width (128-128-M-256-256-M-512-512-M), the classifier a 4×4 conv. */
    static IntegerModel vgg7Convolutional() {
        SplittableRandom rng = new SplittableRandom(7);
        IntegerModelBuilder b = IntegerModel.builder("vgg7-conv");
        b.input("input", Input.codes(Shape.chw(3, 32, 32), new QuantizedType(IntType.INT8, 0)), 1.0 / 32);
        String prev = "input";
        int c = 3;
        int convs = 0;
        int pools = 0;
        for (int outC : new int[] {128, 128, 0, 256, 256, 0, 512, 512, 0}) {
            String id;
            if (outC == 0) {
                id = "pool" + ++pools;
                b.node(id, new MaxPool(Window.square(2, 2, 0)), prev);
            } else {
                id = "conv" + ++convs;
                b.node(id, TestNets.conv(rng, c, outC, Window.square(3, 1, 1), 1), 1.0 / 32, prev);
                c = outC;
            }
            prev = id;
        }
        b.node("fc", TestNets.conv(rng, c, 10, Window.square(4, 1, 0), 1), 1.0 / 32, prev);
        return b.build("fc");
    }

    private static List<Instruction.ConvPass> passesOf(Program program, String layer) {
        return program.instructions(Instruction.ConvPass.class).stream().filter(p -> p.layer().equals(layer))
                .toList();
    }

    private static Map<String, int[]> values(IntegerModel model, byte[] image) {
        Map<String, int[]> values = new HashMap<>();
        new ReferenceEngine().run(model, image, (n, t) -> values.put(n.id(), t.toArray()));
        return values;
    }
}
