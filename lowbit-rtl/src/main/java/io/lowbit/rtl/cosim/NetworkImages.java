package io.lowbit.rtl.cosim;

import io.lowbit.accel.compile.Instruction;
import io.lowbit.accel.compile.LayerPlan;
import io.lowbit.accel.compile.Program;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.Node;
import io.lowbit.rtl.RtlParameters;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A whole compiled network in the memory images of {@code lowbit_accel} ({@code docs/rtl.md} §2): per layer its
 * descriptor and {@code layer} instruction, then its {@code conv_pass}es or its {@code pool_pass}, and the
 * program's {@code swap_buffers}; and the DRAM with the DMA queue ({@link DramImage}): the program's
 * {@code load_input} (the network input), {@code load_weights} (each weight tile's indexes and biases),
 * {@code load_rows} and {@code store_rows} (a feature map larger than a buffer: its row tiles between a row-major
 * area in DRAM and a half of a buffer, {@link DramStaging}) and {@code store_output} (the network output, to an area
 * after them), in program order. Not in the RTL (rejected by name): a network input or output in DRAM, and
 * {@code store_rows} of a layer in more than one weight tile (each tile's channels of a row tile are not one burst).
 */
public final class NetworkImages {

    /** A conv layer or pool in program order, with the images that describe it. */
    public record Unit(String layer, LayerPlan plan, LayerImages conv, PoolImages pool,
            List<Instruction.ConvPass> passes, boolean wide, DramStaging staging) {

        /** The layer's output is in DRAM (read back from there, not from its buffer). */
        public boolean outputInDram() {
            return staging != null && staging.output();
        }

        public boolean isConv() {
            return conv != null;
        }
    }

    private final RtlParameters p;
    private final ProgramImages program;
    private final List<Unit> units = new ArrayList<>();
    private final DramImage dram;
    private final List<Instruction> dmaInstructions = new ArrayList<>();
    private final int outputBase;
    private final long outputBeats;
    private int swaps;
    private int layerInstructions;
    /** First beat of each layer's output map in DRAM (row-major), by layer. */
    private final Map<String, Integer> dramMaps = new HashMap<>();

    /**
     * @param values the integer engine's codes of every node on the image (the input map, and the pools' inputs)
     */
    public NetworkImages(RtlParameters p, Program compiled, IntegerModel model, Map<String, int[]> values) {
        this.p = p;
        this.program = new ProgramImages(p);
        this.dram = new DramImage(p);
        Map<String, List<Integer>> passTiles = new HashMap<>();
        List<Instruction.LoadWeights> tileLoads = new ArrayList<>();
        Map<String, Integer> rowsBase = new HashMap<>();
        Map<String, Integer> storeBase = new HashMap<>();
        Map<String, Integer> layerTiles = new HashMap<>();
        int tileCount = 0;
        int loads = 0;
        int stores = 0;
        for (Instruction ins : compiled.instructions()) {
            if (ins instanceof Instruction.LoadInput li && li.bytes() == 0) {
                throw new IllegalArgumentException("load_input of 0 bytes: the network input is larger than a"
                        + " feature-map buffer and is fetched by load_rows; a network input in DRAM is not in the RTL");
            } else if (ins instanceof Instruction.StoreOutput so && so.bytes() == 0) {
                throw new IllegalArgumentException("store_output of 0 bytes: the network output is larger than a"
                        + " feature-map buffer and stored by store_rows; a network output in DRAM is not in the RTL");
            } else if (ins instanceof Instruction.LoadRows lr) {
                rowsBase.putIfAbsent(lr.layer(), loads++);
            } else if (ins instanceof Instruction.StoreRows sr) {
                storeBase.putIfAbsent(sr.layer(), stores++);
            } else if (ins instanceof Instruction.LoadWeights lw) {
                layerTiles.merge(lw.layer(), 1, Integer::sum);
                if (lw.bank() != tileCount % 2) {
                    throw new IllegalArgumentException(lw.layer() + ": load_weights of tile " + tileCount
                            + " into bank " + lw.bank() + "; the RTL alternates the two banks");
                }
                tileLoads.add(lw);
                tileCount++;
            } else if (ins instanceof Instruction.ConvPass cp) {
                if (tileCount == 0) {
                    throw new IllegalArgumentException(cp.layer() + ": a conv pass before any load_weights");
                }
                passTiles.computeIfAbsent(cp.layer(), k -> new ArrayList<>()).add(tileCount - 1);
            }
        }
        for (String layer : storeBase.keySet()) {
            if (layerTiles.getOrDefault(layer, 0) > 1) {
                throw new IllegalArgumentException("store_rows (" + layer + "): a layer in " + layerTiles.get(layer)
                        + " weight tiles stores each tile's channels of a row tile apart, which is not one burst of"
                        + " the row-major map in DRAM; not in the RTL");
            }
        }
        Map<Integer, int[]> tileWords = new HashMap<>();
        Map<String, Integer> inputBuffer = new HashMap<>();
        List<Integer> convDescriptors = new ArrayList<>();
        List<Integer> convFirstPasses = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        for (Instruction ins : compiled.instructions()) {
            if (ins instanceof Instruction.ConvPass cp && done.add(cp.layer())) {
                LayerPlan plan = compiled.layer(cp.layer());
                Node node = model.node(cp.layer());
                if (!(node.op() instanceof Conv2d op)) {
                    throw new IllegalArgumentException(cp.layer() + ": conv passes of a " + node.op().kind());
                }
                List<Instruction.ConvPass> passes = compiled.instructions(Instruction.ConvPass.class).stream()
                        .filter(c -> c.layer().equals(cp.layer())).toList();
                Node in = model.node(node.input());
                convDescriptors.add(program.descriptors());
                convFirstPasses.add(program.instructions() + 1); // after its layer instruction
                DramStaging staging = plan.inputInDram() || plan.outputInDram()
                        ? DramStaging.of(p, plan, passes.get(0).rows(), jobs(passes, passTiles.get(cp.layer())),
                                rowsBase.getOrDefault(cp.layer(), loads), storeBase.getOrDefault(cp.layer(), stores),
                                swaps % 2)
                        : null;
                units.add(new Unit(cp.layer(), plan, new LayerImages(p, plan, op, in.output(), node.output(), passes,
                        program, passTiles.get(cp.layer()), (t, w0, w1, b0, b1) -> {
                            // checked as each tile closes, before the pass loop packs its instructions: a tile too
                            // large for its bank would otherwise surface as a weight-base field overflow
                            requireTileFits(p, tileLoads.get(t), t, w1 - w0, b1 - b0);
                            tileWords.put(t, new int[] {w0, w1, b0, b1});
                        }, staging, swaps % 2), null, passes, false, staging));
                inputBuffer.put(cp.layer(), swaps % 2);
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
                        plan.input().height() * plan.input().width(), swaps % 2);
                new FeatureMapLayout(p).requireFits(pp.layer() + " output", plan.output().channels(),
                        plan.output().height() * plan.output().width(), swaps + 1);
                program.layer(csr);
                program.instruction(new long[] {ProgramImages.OP_POOL_PASS << 2, 0, 0, 0, 0, 0, 0, 0});
                units.add(new Unit(pp.layer(), plan, null, pool, List.of(), wide, null));
                layerInstructions++;
            } else if (ins instanceof Instruction.SwapBuffers) {
                program.instruction(new long[] {ProgramImages.OP_SWAP_BUFFERS << 2, 0, 0, 0, 0, 0, 0, 0});
                swaps++;
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
        program.waitForInput();
        program.checkInstructions(p);
        // each conv layer's descriptor points at the next conv layer's first pass: its preload overlaps the layer
        for (int k = 0; k + 1 < convDescriptors.size(); k++) {
            program.setCsr(convDescriptors.get(k), LayerImages.NEXT_PASS_CSR, convFirstPasses.get(k + 1) + 1);
        }

        // the DRAM: input map, each tile's weight then bias words, the output area; the queue in program order
        LayerPlan first = units.get(0).plan();
        Node firstIn = model.node(model.node(first.layer()).input());
        int inPlane = first.input().height() * first.input().width();
        int inputBase = dram.appendMap(values.get(firstIn.id()), first.input().channels(), inPlane);
        long inputBeats = dram.size() - inputBase;
        List<BigInteger> wWords = program.wmem.words();
        List<BigInteger> bWords = program.bmem.words();
        int[] tileBase = new int[tileCount];
        long[] tileWeightBeats = new long[tileCount];
        long[] tileBeats = new long[tileCount];
        for (int t = 0; t < tileCount; t++) {
            int[] r = tileWords.get(t);
            if (r == null) {
                throw new IllegalArgumentException("weight tile " + t + " has no conv pass");
            }
            tileBase[t] = dram.append(wWords.subList(r[0], r[1]), p.weightWordBits());
            tileWeightBeats[t] = dram.size() - tileBase[t];
            dram.append(bWords.subList(r[2], r[3]), p.biasWordBits());
            tileBeats[t] = dram.size() - tileBase[t];
        }
        Unit last = units.get(units.size() - 1);
        int outPlane = last.plan().output().height() * last.plan().output().width();
        if (last.wide()) {
            if (last.pool().outputWords() > p.resultDepth()) {
                throw new IllegalArgumentException(last.layer() + ": " + last.pool().outputWords()
                        + " output words > the result memory's " + p.resultDepth());
            }
            outputBeats = dram.beats(last.pool().outputWords(), p.resultWordBits());
        } else {
            outputBeats = dram.beats(outPlane, p.fmWordBits())
                    * new FeatureMapLayout(p).groups(last.plan().output().channels());
        }
        outputBase = dram.reserve(outputBeats);
        // the maps in DRAM: one row-major area per staged output, which the next layer's load_rows reads
        Map<String, Unit> byLayer = new HashMap<>();
        String previous = null;
        Map<String, String> producer = new HashMap<>();
        for (Unit u : units) {
            byLayer.put(u.layer(), u);
            if (previous != null) {
                producer.put(u.layer(), previous);
            }
            previous = u.layer();
            if (u.outputInDram()) {
                LayerPlan o = u.plan();
                dramMaps.put(u.layer(), dram.reserve(dram.rowMajorBeats(o.output().channels(), o.output().height(),
                        o.output().width())));
            }
        }
        int t = 0;
        for (Instruction ins : compiled.instructions()) {
            if (ins instanceof Instruction.LoadInput) {
                dram.entry("load_input", DramImage.OP_LOAD_INPUT, 0, inputBase, inputBeats, dram.mapGeometry(inPlane));
                dmaInstructions.add(ins);
            } else if (ins instanceof Instruction.LoadWeights lw) {
                dram.entry("load_weights " + lw.layer() + " tile " + t, DramImage.OP_LOAD_WEIGHTS,
                        ((long) (t / 2) << 16) | ((long) lw.bank() << 4), tileBase[t], tileBeats[t],
                        tileWeightBeats[t]);
                dmaInstructions.add(ins);
                t++;
            } else if (ins instanceof Instruction.LoadRows lr) {
                Unit u = byLayer.get(lr.layer());
                LayerPlan plan = u.plan();
                DramStaging s = u.staging();
                var win = plan.window();
                int tileRows = u.passes().get(0).rows();
                int rowTiles = (plan.output().height() + tileRows - 1) / tileRows;
                int inRow0 = lr.job() % rowTiles * tileRows * win.strideH() - win.padTop();
                int groups = new FeatureMapLayout(p).groups(plan.input().channels());
                int width = plan.input().width();
                long line = dram.lineBeats(width);
                // the half's passes of row tile job - 2 have streamed (slotFree): the layer's (job - 1)-th release
                long need = lr.job() >= 2 ? s.rowsBase() + lr.job() - 1 : 0;
                dram.entry("load_rows " + lr.layer() + " job " + lr.job(), DramImage.OP_LOAD_ROWS,
                        (need << 16) | ((long) inputBuffer.get(lr.layer()) << 6),
                        dramMaps.get(producer.get(lr.layer())) + (long) lr.rowStart() * groups * line,
                        (long) lr.rows() * groups * line, line | ((long) width << 16),
                        groups | ((long) s.inPlane() << 16),
                        s.slotBase(lr.slot()) + (long) (lr.rowStart() - inRow0) * width);
                dmaInstructions.add(ins);
            } else if (ins instanceof Instruction.StoreRows sr) {
                Unit u = byLayer.get(sr.layer());
                LayerPlan plan = u.plan();
                DramStaging s = u.staging();
                int groups = new FeatureMapLayout(p).groups(plan.output().channels());
                int width = plan.output().width();
                long line = dram.lineBeats(width);
                dram.entry("store_rows " + sr.layer() + " job " + sr.job(), DramImage.OP_STORE_ROWS,
                        ((long) (s.storeBase() + sr.job() + 1) << 16)
                                | ((long) (1 - inputBuffer.get(sr.layer())) << 6),
                        dramMaps.get(sr.layer()) + (long) sr.rowStart() * groups * line,
                        (long) sr.rows() * groups * line, line | ((long) width << 16),
                        groups | ((long) s.outPlane() << 16), s.slotBase(sr.job() % 2));
                dmaInstructions.add(ins);
            } else if (ins instanceof Instruction.StoreOutput) {
                dram.entry("store_output", DramImage.OP_STORE_OUTPUT, last.wide() ? 1 << 5 : 0, outputBase,
                        outputBeats, last.wide() ? 0 : dram.mapGeometry(outPlane));
                dmaInstructions.add(ins);
            }
        }
    }

    /**
     * Throws unless weight tile {@code t} ({@code weightWords} index words, its pass blocks padded to whole input and
     * output groups, and {@code biasWords} bias words) fits a weight and a bias bank of {@code p}.
     */
    static void requireTileFits(RtlParameters p, Instruction.LoadWeights lw, int t, int weightWords,
            int biasWords) {
        String tile = lw.layer() + ": weight tile " + t + " (output channels " + lw.outStart() + ".."
                + (lw.outStart() + lw.outCount() - 1) + ", " + lw.bytes() + " B as the compiler counts it)";
        if (weightWords > p.wmemDepth()) {
            throw new IllegalArgumentException(tile + " needs " + weightWords + " weight words of "
                    + p.weightWordBits() + " bits in the RTL's layout (every pass block padded to whole groups of "
                    + p.pi() + " input and " + p.po() + "·slots output channels), more than the weight bank's "
                    + p.wmemDepth() + " (buffers.weightBankBytes; docs/rtl.md §1)");
        }
        if (biasWords > p.bmemDepth()) {
            throw new IllegalArgumentException(tile + " needs " + biasWords + " bias words (one per kernel slot of"
                    + " each output group), more than the bias bank's " + p.bmemDepth()
                    + " (RtlParameters.biasBankWords; docs/rtl.md §1)");
        }
    }

    /** Row tiles of a conv layer over its weight tiles: the compiler's jobs. */
    private static int jobs(List<Instruction.ConvPass> passes, List<Integer> tiles) {
        Set<String> jobs = new LinkedHashSet<>();
        for (int n = 0; n < passes.size(); n++) {
            jobs.add(tiles.get(n) + "/" + passes.get(n).rowStart());
        }
        return jobs.size();
    }

    /** First beat of {@code layer}'s output map in DRAM (row-major, {@link DramImage}), or -1 when on chip. */
    public int dramMap(String layer) {
        return dramMaps.getOrDefault(layer, -1);
    }

    /** Pool CSR word: 1 = the outputs go to the result memory ({@code lowbit_accel_top}). */
    public static final int POOL_WIDE_CSR = 20;

    /** Pools read and write whole maps on chip (the compiler rejects larger ones too). */
    private static void requireOnChip(LayerPlan plan) {
        if (plan.inputInDram() || plan.outputInDram()) {
            throw new IllegalArgumentException(plan.layer() + ": a pool whose feature maps do not fit the buffers"
                    + " (row tiling through DRAM is done for convolutions only)");
        }
    }

    public ProgramImages program() {
        return program;
    }

    public DramImage dram() {
        return dram;
    }

    /** The DRAM area {@code store_output} writes: its first beat and its beats ({@code tb_top} dumps it). */
    public int outputBase() {
        return outputBase;
    }

    public long outputBeats() {
        return outputBeats;
    }

    /** The compiler's DMA instructions, in the order of {@link DramImage#transfers()}. */
    public List<Instruction> dmaInstructions() {
        return List.copyOf(dmaInstructions);
    }

    /** Bytes the RTL moves for the {@code k}-th DMA instruction: whole beats. */
    public long rtlBytes(int k) {
        return dram.transfers().get(k).beats() * p.dmaBeatBytes();
    }

    /**
     * {@code compiled} with every DMA instruction's bytes replaced by what the RTL moves ({@link #rtlBytes}): the
     * program {@code ScheduleTimer} times like the RTL.
     */
    public Program withRtlBytes(Program compiled) {
        List<Instruction> out = new ArrayList<>();
        int k = 0;
        for (Instruction ins : compiled.instructions()) {
            if (ins instanceof Instruction.LoadInput) {
                out.add(new Instruction.LoadInput(rtlBytes(k++)));
            } else if (ins instanceof Instruction.LoadWeights lw) {
                out.add(new Instruction.LoadWeights(lw.layer(), lw.tile(), lw.bank(), lw.outStart(), lw.outCount(),
                        rtlBytes(k++)));
            } else if (ins instanceof Instruction.LoadRows lr) {
                out.add(new Instruction.LoadRows(lr.layer(), lr.job(), lr.slot(), lr.rowStart(), lr.rows(),
                        rtlBytes(k++)));
            } else if (ins instanceof Instruction.StoreRows sr) {
                out.add(new Instruction.StoreRows(sr.layer(), sr.job(), sr.rowStart(), sr.rows(), rtlBytes(k++)));
            } else if (ins instanceof Instruction.StoreOutput) {
                out.add(new Instruction.StoreOutput(rtlBytes(k++)));
            } else {
                out.add(ins);
            }
        }
        return new Program(compiled.format(), compiled.version(), compiled.accelerator(), compiled.model(),
                compiled.modelFingerprint(), compiled.layers(), out);
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
            if (u.outputInDram()) {
                continue; // read back from the DRAM
            }
            words = Math.max(words, layout.bankWords(u.plan().output().channels(), u.plan().output().height()
                    * u.plan().output().width()));
        }
        return words;
    }

    /**
     * {@code base}, after checking that the program fits its instruction memory: the memories keep the configured
     * depths (the DMA loads one weight tile at a time, each checked against the banks), so the co-simulated design
     * is the synthesized one.
     */
    public RtlParameters sizedParameters(RtlParameters base) {
        program.checkInstructions(base);
        return base;
    }
}
