package io.lowbit.rtl.cosim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.accel.Fixtures;
import io.lowbit.accel.config.AcceleratorConfigs;
import io.lowbit.core.arith.AveragePool;
import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.OutputClamp;
import io.lowbit.core.arith.QuantizedType;
import io.lowbit.core.arith.Rounding;
import io.lowbit.core.model.AvgPool;
import io.lowbit.core.model.Input;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.MaxPool;
import io.lowbit.core.model.Node;
import io.lowbit.core.model.Op;
import io.lowbit.core.model.Shape;
import io.lowbit.core.model.Window;
import io.lowbit.rtl.RtlTools;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pool unit on {@code pynq-z2-clipq} (PI = 4): the trained CLIP-Q NIN's max, average and global average pools
 * on a real CIFAR-10 image, and random pools NIN does not have, bit-exact with the integer engine and in exactly
 * the simulator's {@code ⌈C/4⌉·H_out·W_out·kH·kW + 2} cycles. All cases share one Verilator build of
 * {@code tb_pool}.
 */
class PoolCosimTest {

    private static PoolCosim cosim(String tag) {
        return new PoolCosim(AcceleratorConfigs.pynqZ2ClipQ(), RtlTools.verilator(),
                Path.of("target", "cosim-pool", tag).toAbsolutePath());
    }

    @Test
    void ninPoolLayersAreBitExactAndTakeTheSimulatorsCycles() throws Exception {
        IntegerModel nin = Fixtures.nin05ClipQ();
        byte[] image = Fixtures.cifarMiniTestImage(0);
        List<Node> pools = nin.nodes().stream().filter(PoolCosim::isPool).toList();
        assertEquals(List.of("max_pool", "avg_pool", "avg_pool"), pools.stream().map(n -> n.op().kind()).toList());
        PoolCosim cosim = cosim("nin");
        for (Node pool : pools) {
            PoolCosimResult r = cosim.run(nin, pool.id(), image);
            System.out.println("[PoolCosim] " + r.summary());
            assertEquals(0, r.mismatches(), r.summary());
            assertTrue(r.cyclesAsModelled(), r.summary());
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2} stride {3}x{4} pad {5}, {6} channels {7}x{8}, {9}, shift {10}")
    @CsvSource({
        "max, 3, 3, 2, 2, 1, 7, 9, 11, int8, -1",      // overlapping windows, padding excluded, 7 channels: 2 groups
        "max, 2, 3, 1, 3, 0, 5, 6, 10, uint8, -1",     // stride 1 ≠ kernel, rectangular
        "avg, 3, 3, 2, 2, 1, 6, 9, 7, uint8, -1",      // padding contributes 0, the divisor is still 9
        "avg, 2, 2, 3, 3, 0, 9, 8, 8, int8, -1",       // stride > kernel
        "avg, 5, 3, 1, 2, 2, 3, 5, 6, int8-floor, -1", // FLOOR rounding
        "global, 7, 5, 0, 0, 0, 10, 7, 5, uint8, -1",  // global average pool of an odd map
        // the requantizer's extreme shifts (M0·2^-shift, integer-semantics.md §7): the unit's running product
        // sum·M0 + 2^(shift-1) is 52 bits and it shifts by min(shift, 51) (lowbit_pool_unit)
        "global, 7, 5, 0, 0, 0, 6, 7, 5, int8, 62",    // the smallest multiplier: every output Z_out
        "global, 7, 5, 0, 0, 0, 6, 7, 5, int8-floor, 62",  // FLOOR: 0 or -1 before Z_out
        "global, 8, 8, 0, 0, 0, 5, 8, 8, int8-floor, 44",  // sum·M0 around 2^44: 0, -1 and small codes
        "global, 8, 8, 0, 0, 0, 5, 8, 8, uint8, 44",
        "avg, 3, 3, 1, 1, 1, 5, 6, 7, int8, 0",        // the largest multiplier: every output clamped
        "avg, 2, 2, 2, 2, 0, 5, 6, 6, uint8-floor, 3"
    })
    void randomPoolIsBitExactAndTakesTheModelledCycles(String kind, int kh, int kw, int sh, int sw, int pad, int c,
            int h, int w, String type, int shift) {
        SplittableRandom rng = new SplittableRandom(31L * kh + 7L * kw + 131L * c + h * 17L + type.hashCode());
        IntType t = type.startsWith("int8") ? IntType.INT8 : IntType.UINT8;
        QuantizedType in = new QuantizedType(t, rng.nextInt(t.min(), t.max() + 1));
        Window window = kind.equals("global") ? Window.global(h, w) : new Window(kh, kw, sh, sw, pad, pad, pad, pad);
        Op op;
        double outScale = rng.nextDouble(0.02, 0.2); // S_in·[0.3, 3]: outputs spread, some clamped
        if (shift >= 0) { // M = S_in / (k·S_out) = 1.5·2^(30 − shift): M0 = 3·2^29, total shift = shift
            outScale = 1.0 / 16 / (window.kernelArea() * 1.5 * Math.pow(2, 30 - shift));
        }
        if (kind.equals("max")) {
            op = new MaxPool(window);
        } else {
            int zOut = rng.nextInt(t.min(), t.max() + 1);
            OutputClamp clamp = new OutputClamp(t, zOut, rng.nextInt(t.min(), zOut + 1), rng.nextInt(zOut, t.max()
                    + 1));
            AveragePool pool = AveragePool.fromScales(window.kernelArea(), 1.0 / 16, in, outScale, clamp,
                    type.endsWith("floor") ? Rounding.FLOOR : Rounding.ROUND_HALF_UP);
            op = new AvgPool(window, pool);
        }
        var b = IntegerModel.builder("pool-" + kind);
        b.input("input", Input.codes(Shape.chw(c, h, w), in), 1.0 / 16);
        if (op instanceof MaxPool) {
            b.node("pool", op, "input");
        } else {
            b.node("pool", op, outScale, "input");
        }
        IntegerModel model = b.build("pool");
        byte[] image = new byte[c * h * w];
        for (int i = 0; i < image.length; i++) {
            image[i] = (byte) rng.nextInt(t.min(), t.max() + 1);
        }
        PoolCosimResult r = cosim("synthetic").run(model, "pool", image);
        System.out.println("[PoolCosim] " + kind + " " + window + " " + type + ": " + r.summary());
        if (op instanceof AvgPool ap && shift >= 0) {
            assertEquals(shift, ap.pool().multiplier().totalRightShift(), "the requested shift");
        }
        assertEquals(0, r.mismatches(), r.summary());
        assertTrue(r.cyclesAsModelled(), r.summary());
    }
}
