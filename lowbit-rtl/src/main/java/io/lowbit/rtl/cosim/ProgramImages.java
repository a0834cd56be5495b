package io.lowbit.rtl.cosim;

import io.lowbit.rtl.InstructionFormat;
import io.lowbit.rtl.RtlParameters;
import io.lowbit.rtl.sim.HexImage;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;

/**
 * The program memories of {@code lowbit_accel} ({@code docs/rtl.md} §2), filled layer by layer: layer descriptors
 * ({@code desc.hex}, one word of {@code csrWords} 32-bit CSRs each), instructions ({@code imem.hex}), and the weight
 * indexes and biases of every layer ({@code wmem.hex}, {@code bmem.hex}): preloaded into bank 0 by the host for a
 * single layer, or cut into the weight tiles of the DRAM image ({@link DramImage}) for a program with DMA.
 */
public final class ProgramImages {

    /** Opcodes in {@code w0[3:2]} ({@code lowbit_sequencer}). */
    public static final int OP_CONV_PASS = 0;
    public static final int OP_LAYER = 1;
    public static final int OP_POOL_PASS = 2;
    public static final int OP_SWAP_BUFFERS = 3;

    private final RtlParameters p;
    private final InstructionFormat format;
    final HexImage desc;
    final HexImage imem;
    final HexImage wmem;
    final HexImage bmem;

    public ProgramImages(RtlParameters p) {
        this.p = p;
        this.format = new InstructionFormat(p);
        desc = new HexImage(32 * p.csrWords());
        imem = new HexImage(RtlParameters.INSTRUCTION_BITS);
        wmem = new HexImage(p.weightWordBits());
        bmem = new HexImage(p.biasWordBits());
    }

    /** Appends a descriptor and the {@code layer} instruction that makes it the CSRs. */
    void layer(long[] csrs) {
        if (desc.size() >= RtlParameters.DESCRIPTOR_DEPTH) {
            throw new IllegalArgumentException("more than " + RtlParameters.DESCRIPTOR_DEPTH + " layer descriptors");
        }
        long[] words = new long[p.csrWords()];
        System.arraycopy(csrs, 0, words, 0, Math.min(csrs.length, words.length));
        desc.addLanes(words, 32);
        instruction(new long[] {OP_LAYER << 2, 0, desc.size() - 1, 0, 0, 0, 0, 0});
    }

    /** Appends an instruction ({@code w0 … w7}); throws unless its fields fit the stored word. */
    void instruction(long[] words) {
        format.pack(words, "instruction " + imem.size());
        imem.addLanes(words, 32);
    }

    /**
     * The instruction memory's image: each instruction in the {@link InstructionFormat} of {@code p}
     * ({@code format.bits()} bits).
     */
    public HexImage storedInstructions() {
        HexImage out = new HexImage(format.bits());
        List<BigInteger> words = imem.words();
        for (int n = 0; n < words.size(); n++) {
            long[] w = new long[InstructionFormat.WORDS];
            for (int k = 0; k < w.length; k++) {
                w[k] = words.get(n).shiftRight(32 * k).longValue() & 0xFFFFFFFFL;
            }
            out.set(n, format.pack(w, "instruction " + n));
        }
        return out;
    }

    /** Sets CSR word {@code word} of descriptor {@code descriptor}. */
    void setCsr(int descriptor, int word, long value) {
        BigInteger d = desc.words().get(descriptor);
        BigInteger mask = BigInteger.valueOf(0xFFFFFFFFL).shiftLeft(32 * word);
        desc.set(descriptor, d.andNot(mask).or(BigInteger.valueOf(value & 0xFFFFFFFFL).shiftLeft(32 * word)));
    }

    public int descriptors() {
        return desc.size();
    }

    /** The first layer waits for {@code load_input} ({@code lowbit_sequencer}: {@code layer} with {@code w0[4]}). */
    void waitForInput() {
        BigInteger first = imem.words().get(0);
        require(first.and(BigInteger.valueOf(0xC)).longValue() == OP_LAYER << 2,
                "the program does not start with a layer instruction");
        imem.set(0, first.setBit(4));
    }

    public int instructions() {
        return imem.size();
    }

    /** Throws unless the images fit the memories of {@code p} (a single layer preloaded into bank 0). */
    void checkDepths(RtlParameters p) {
        checkInstructions(p);
        checkPreloadedBanks(p, "the layer");
    }

    /**
     * Throws unless the weight and bias images, preloaded by the host, fit bank 0 of {@code p}. {@code LayerImages}
     * calls it before its passes are packed: a block past the bank would otherwise be reported as an overflow of
     * the instruction's weight-base field, which is sized to the bank.
     */
    void checkPreloadedBanks(RtlParameters p, String what) {
        require(wmem.size() <= p.wmemDepth(), what + "'s " + wmem.size() + " weight words (its blocks padded to"
                + " whole input and output groups) exceed weight bank 0's " + p.wmemDepth() + " words"
                + " (buffers.weightBankBytes; docs/rtl.md §1)");
        require(bmem.size() <= p.bmemDepth(), what + "'s " + bmem.size() + " bias words exceed bias bank 0's "
                + p.bmemDepth() + " words (RtlParameters.biasBankWords)");
    }

    /** Writes {@code desc.hex}, {@code imem.hex}, {@code wmem.hex}, {@code bmem.hex}. */
    public void write(Path dir) {
        desc.write(dir.resolve("desc.hex"));
        storedInstructions().write(dir.resolve("imem.hex"));
        wmem.write(dir.resolve("wmem.hex"));
        bmem.write(dir.resolve("bmem.hex"));
    }

    /** Plusargs telling {@code tb_top} the image sizes and the program length (weights preloaded by the host). */
    public List<String> plusargs() {
        return List.of("+n_desc=" + desc.size(), "+n_imem=" + imem.size(), "+n_wmem=" + wmem.size(),
                "+n_bmem=" + bmem.size(), "+n_prog=" + imem.size());
    }

    /** Plusargs of a program with DMA: descriptors and instructions only (the weights come from DRAM). */
    public List<String> programPlusargs() {
        return List.of("+n_desc=" + desc.size(), "+n_imem=" + imem.size(), "+n_prog=" + imem.size());
    }

    /** Throws unless the instructions fit {@code p} (a program with DMA: the weights are checked per tile). */
    void checkInstructions(RtlParameters p) {
        require(imem.size() <= p.imemDepth(), "the program has " + imem.size() + " instructions, more than the "
                + p.imemDepth() + " the instruction memory holds (RtlParameters.imemDepth)");
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
