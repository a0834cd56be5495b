package io.lowbit.rtl.cosim;

import io.lowbit.accel.compile.Instruction;
import io.lowbit.accel.compile.LayerPlan;
import io.lowbit.accel.compile.Program;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.Node;
import io.lowbit.rtl.RtlParameters;
import io.lowbit.rtl.sim.HexImage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A whole compiled network in the memory images of {@code lowbit_accel} ({@code docs/rtl.md} §2): per layer its
 * descriptor and {@code layer} instruction, then its {@code conv_pass}es or its {@code pool_pass}, and the
 * program's {@code swap_buffers}; the weights and biases of all layers, and the network input in feature-map
 * buffer 0. The program's DMA instructions ({@code load_input}, {@code load_weights}, {@code store_output}) have no
 * counterpart: the host preloads every memory.
 */
public final class NetworkImages {

    /** A conv layer or pool in program order, with the images that describe it. */
    public record Unit(String layer, LayerPlan plan, LayerImages conv, PoolImages pool,
            List<Instruction.ConvPass> passes, boolean wide) {

        public boolean isConv() {
            return conv != null;
        }
    }

    private final RtlParameters p;
    private final ProgramImages program;
    private final List<Unit> units = new ArrayList<>();
    private final HexImage input;
    private int swaps;
    private int layerInstructions;

    /**
     * @param values the integer engine's codes of every node on the image (the input map, and the pools' inputs)
     */
    public NetworkImages(RtlParameters p, Program compiled, IntegerModel model, Map<String, int[]> values) {
        this.p = p;
        this.program = new ProgramImages(p);
        Set<String> done = new LinkedHashSet<>();
        for (Instruction ins : compiled.instructions()) {
            if (ins instanceof Instruction.ConvPass cp && done.add(cp.layer())) {
                LayerPlan plan = compiled.layer(cp.layer());
                requireOnChip(plan);
                Node node = model.node(cp.layer());
                if (!(node.op() instanceof Conv2d op)) {
                    throw new IllegalArgumentException(cp.layer() + ": conv passes of a " + node.op().kind());
                }
                List<Instruction.ConvPass> passes = compiled.instructions(Instruction.ConvPass.class).stream()
                        .filter(c -> c.layer().equals(cp.layer())).toList();
                Node in = model.node(node.input());
                units.add(new Unit(cp.layer(), plan, new LayerImages(p, plan, op, in.output(), node.output(), passes,
                        program), null, passes, false));
                layerInstructions++;
            } else if (ins instanceof Instruction.PoolPass pp) {
                LayerPlan plan = compiled.layer(pp.layer());
                requireOnChip(plan);
                Node node = model.node(pp.layer());
                Node in = model.node(node.input());
                boolean wide = node.output().type().bits() > p.activationBits();
                PoolImages pool = new PoolImages(p, node.op(), in.output(), node.output(), values.get(in.id()),
                        PoolCosim.outputBits(p));
                long[] csr = new long[p.csrWords()];
                long[] constants = pool.constants();
                System.arraycopy(constants, 0, csr, 0, constants.length);
                csr[POOL_WIDE_CSR] = wide ? 1 : 0;
                new FeatureMapLayout(p).requireFits(pp.layer() + " input", plan.input().channels(),
                        plan.input().height() * plan.input().width());
                program.layer(csr);
                program.instruction(new long[] {ProgramImages.OP_POOL_PASS << 2, 0, 0, 0, 0, 0, 0, 0});
                units.add(new Unit(pp.layer(), plan, null, pool, List.of(), wide));
                layerInstructions++;
            } else if (ins instanceof Instruction.SwapBuffers) {
                program.instruction(new long[] {ProgramImages.OP_SWAP_BUFFERS << 2, 0, 0, 0, 0, 0, 0, 0});
                swaps++;
            } else if (ins instanceof Instruction.LoadRows || ins instanceof Instruction.StoreRows) {
                throw new IllegalArgumentException("feature maps in DRAM (load_rows/store_rows) are not in the RTL");
            }
        }
        if (units.isEmpty()) {
            throw new IllegalArgumentException("the program has no conv or pool layer");
        }
        for (int k = 0; k + 1 < units.size(); k++) {
            if (units.get(k).wide()) {
                throw new IllegalArgumentException(units.get(k).layer() + ": wide outputs feed another layer");
            }
        }
        LayerPlan first = units.get(0).plan();
        Node firstIn = model.node(model.node(first.layer()).input());
        input = new FeatureMapLayout(p).encode(values.get(firstIn.id()), first.input().channels(),
                first.input().height() * first.input().width());
    }

    /** Pool CSR word: 1 = the outputs go to the result memory ({@code lowbit_accel_top}). */
    public static final int POOL_WIDE_CSR = 20;

    private static void requireOnChip(LayerPlan plan) {
        if (plan.inputInDram() || plan.outputInDram()) {
            throw new IllegalArgumentException(plan.layer() + ": its feature maps do not fit the buffers (DRAM row"
                    + " tiling: simulator only)");
        }
    }

    public ProgramImages program() {
        return program;
    }

    public HexImage input() {
        return input;
    }

    public List<Unit> units() {
        return List.copyOf(units);
    }

    /** {@code swap_buffers} instructions: the buffer holding the last layer's output is {@code swaps mod 2}. */
    public int swaps() {
        return swaps;
    }

    public int layerInstructions() {
        return layerInstructions;
    }

    /** Words per bank that hold every layer's output map (the dumps of {@code tb_top}). */
    public int bankWords() {
        FeatureMapLayout layout = new FeatureMapLayout(p);
        int words = 1;
        for (Unit u : units) {
            words = Math.max(words, layout.bankWords(u.plan().output().channels(), u.plan().output().height()
                    * u.plan().output().width()));
        }
        return words;
    }

    /**
     * Parameters with the memories this program needs (at least those of {@code base}, powers of two): a whole
     * network's weights exceed the configured weight bank, which holds one layer.
     */
    public RtlParameters sizedParameters(RtlParameters base) {
        return base.withMemories(base.psumEntries(), Math.max(base.imemDepth(), pow2(program.imem.size())),
                Math.max(base.wmemDepth(), pow2(program.wmem.size())), Math.max(base.bmemDepth(),
                        pow2(program.bmem.size())), base.fmDepth(), base.resultDepth());
    }

    private static int pow2(int n) {
        return Integer.highestOneBit(Math.max(2, n) - 1) << 1;
    }
}
