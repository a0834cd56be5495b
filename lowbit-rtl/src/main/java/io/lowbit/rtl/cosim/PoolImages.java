package io.lowbit.rtl.cosim;

import io.lowbit.accel.sim.ScheduleTimer;
import io.lowbit.core.arith.AveragePool;
import io.lowbit.core.arith.Rounding;
import io.lowbit.core.model.AvgPool;
import io.lowbit.core.model.MaxPool;
import io.lowbit.core.model.Op;
import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.model.Window;
import io.lowbit.rtl.RtlParameters;
import io.lowbit.rtl.sim.HexImage;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;

/**
 * The images of one pool layer for {@code tb_pool} ({@code lowbit_pool_unit}, docs/rtl.md "Pool unit"): the
 * constants ({@code pool_csr.hex}, word order in {@code tb_pool.v}) and the input map in the accelerator's input
 * layout ({@code fmin.hex}: word {@code (g·H + y)·W + x} holds channels {@code g·PI … g·PI + PI − 1}, lanes beyond
 * {@code C} 0); and the decoding of the output map, which has the same layout with {@code outputBits}-bit
 * lanes.
 */
public final class PoolImages {

    /** Largest extent the unit's 16-bit constant ports take. */
    static final int MAX_EXTENT = 0xFFFF;

    private final RtlParameters p;
    private final TensorInfo input;
    private final TensorInfo output;
    private final Window window;
    private final int outputBits;
    final HexImage csr = new HexImage(32);
    final HexImage fmin;
    private long[] constants;

    /**
     * @param op         a {@link MaxPool} or {@link AvgPool}
     * @param inputCodes the layer's input map, {@code C·H·W} codes
     * @param outputBits the unit's output code width ({@code OW}; {@code tb_pool}: {@code 2·AW})
     */
    public PoolImages(RtlParameters p, Op op, TensorInfo input, TensorInfo output, int[] inputCodes,
            int outputBits) {
        this.p = p;
        this.input = input;
        this.output = output;
        this.outputBits = outputBits;
        if (input.hasPerChannelZeroPoints()) {
            throw new IllegalArgumentException("per-channel input zero-points are not in the RTL");
        }
        require(input.type().bits() <= p.activationBits(), "input codes of type " + input.type()
                + " are wider than the RTL's " + p.activationBits() + " bits");
        require(output.type().bits() <= outputBits, "output codes of type " + output.type()
                + " are wider than the pool unit's " + outputBits + " bits");
        if (op instanceof MaxPool mp) {
            window = mp.window();
            constants(false, 1, 0, 0, 0, 0, 1 << 30, 0); // the requantizer is unused
        } else if (op instanceof AvgPool ap) {
            window = ap.window();
            AveragePool pool = ap.pool();
            require(pool.rounding() == Rounding.ROUND_HALF_UP || pool.rounding() == Rounding.FLOOR, "rounding "
                    + pool.rounding() + " is not in the RTL (ROUND_HALF_UP, FLOOR)");
            var clamp = pool.output();
            // the unit's window sums are poolSumBits wide (lowbit_pool_unit SW), narrower than the spec's int32
            int zIn = input.zeroPoint(0);
            long maxAbs = Math.max(Math.abs((long) input.type().max() - zIn),
                    Math.abs((long) input.type().min() - zIn));
            p.checkPoolWindow("average pool " + window.kernelH() + "x" + window.kernelW(), window.kernelArea(), maxAbs);
            constants(true, pool.rounding() == Rounding.ROUND_HALF_UP ? 1 : 0, input.zeroPoint(0),
                    clamp.zeroPoint(), clamp.lo(), clamp.hi(), pool.multiplier().multiplierQ31(),
                    pool.multiplier().totalRightShift());
        } else {
            throw new IllegalArgumentException("op " + op.kind() + " is not a pool");
        }
        fmin = new HexImage(p.fmWordBits());
        buildInput(inputCodes);
        // tb_pool's one plain memory has the larger buffer's words (a network checks the banked layout per buffer)
        int depth = Math.max(p.fmDepth(), p.fmDepth1());
        require(fmin.size() <= depth, "input words " + fmin.size() + " > " + depth);
        require(outputWords() <= depth, "output words " + outputWords() + " > " + depth);
    }

    private void constants(boolean avg, int halfUp, int zIn, int zOut, int lo, int hi, long m0, int shift) {
        var in = input.shape();
        var out = output.shape();
        long[] words = {avg ? 1 : 0, input.type().signed() ? 1 : 0, halfUp, window.kernelH(), window.kernelW(),
            window.strideH(), window.strideW(), window.padTop(), window.padLeft(), in.height(), in.width(),
            out.height(), out.width(), groups(), zIn, zOut, lo, hi, m0, shift};
        for (int k = 3; k <= 13; k++) {
            require(words[k] <= MAX_EXTENT, "pool constant " + words[k] + " exceeds 16 bits");
        }
        for (long w : words) {
            csr.add(w);
        }
        constants = words;
    }

    /**
     * The unit's constants in {@code pool_csr} word order (also the pool CSRs of {@code lowbit_accel_top}, which
     * add word 20: wide outputs into the result memory).
     */
    public long[] constants() {
        return constants.clone();
    }

    private void buildInput(int[] codes) {
        int c = input.shape().channels();
        int hw = input.shape().height() * input.shape().width();
        for (int g = 0; g < groups(); g++) {
            for (int k = 0; k < hw; k++) {
                long[] lanes = new long[p.pi()];
                for (int i = 0; i < p.pi(); i++) {
                    int ch = g * p.pi() + i;
                    lanes[i] = ch < c ? codes[ch * hw + k] : 0;
                }
                fmin.addLanes(lanes, p.activationBits());
            }
        }
    }

    /** Channel groups {@code ⌈C/PI⌉}: one word per pixel each. */
    public int groups() {
        return (input.shape().channels() + p.pi() - 1) / p.pi();
    }

    public int outputWords() {
        return groups() * output.shape().height() * output.shape().width();
    }

    /** Words read: one per channel group, output pixel and window position. */
    public long streamCycles() {
        return (long) outputWords() * window.kernelArea();
    }

    /** The unit's cycles by construction: {@link #streamCycles()} + {@link ScheduleTimer#POOL_STAGES}. */
    public long modelledCycles() {
        return streamCycles() + ScheduleTimer.POOL_STAGES;
    }

    /** The output map ({@code C·H_out·W_out} codes) from the RTL's output words. */
    public int[] decodeOutput(List<BigInteger> words) {
        int c = output.shape().channels();
        int h = output.shape().height();
        int w = output.shape().width();
        boolean signed = output.type().signed();
        int[] out = new int[c * h * w];
        for (int o = 0; o < c; o++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    BigInteger word = words.get((o / p.pi() * h + y) * w + x);
                    out[(o * h + y) * w + x] = HexImage.lane(word, o % p.pi(), outputBits, signed);
                }
            }
        }
        return out;
    }

    /** Writes {@code pool_csr.hex} and {@code fmin.hex}. */
    public void write(Path dir) {
        csr.write(dir.resolve("pool_csr.hex"));
        fmin.write(dir.resolve("fmin.hex"));
    }

    /** Plusargs telling {@code tb_pool} the image sizes. */
    public List<String> plusargs() {
        return List.of("+n_fm=" + fmin.size(), "+n_out=" + outputWords());
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
