package io.lowbit.rtl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.OutputClamp;
import io.lowbit.core.arith.Rounding;
import io.lowbit.core.arith.ShiftRequantizer;
import io.lowbit.rtl.sim.Verilator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code lowbit_shift_requant} equals {@link ShiftRequantizer#requantize} for FLOOR and ROUND_HALF_UP, shifts 0..12:
 * exhaustively on {@code [-2^17, 2^17]}, on windows of {@code ±2^(s+2)} around both clamp thresholds (every shift
 * saturates inside them) and at both ends of the int32 range.
 */
class ShiftRequantizerCosimTest {

    private static final int SPAN = 1 << 17;
    private static final int MAX_SHIFT = 12;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"clip-q relu int8, true, 0, 0, 127", "saturating int8, true, 0, -128, 127",
        "int8 zero-point 5, true, 5, -128, 100", "uint8 zero-point 128, false, 128, 0, 255"})
    void equalsTheJavaRequantizer(String what, boolean signed, int zp, int lo, int hi, @TempDir Path work)
            throws IOException {
        Verilator verilator = RtlTools.verilator();
        RtlParameters p = RtlTools.preset();
        Path exe = verilator.build(RtlTools.generate(p, "preset"), "tb_requant");
        IntType type = signed ? IntType.INT8 : IntType.UINT8;
        OutputClamp clamp = new OutputClamp(type, zp, lo, hi);
        List<long[]> ranges = new ArrayList<>(); // shift, halfUp, from, to
        for (int s = 0; s <= MAX_SHIFT; s++) {
            for (int h = 0; h < 2; h++) {
                ranges.add(new long[] {s, h, -SPAN, SPAN});
                for (long edge : new long[] {(long) (hi - zp) << s, (long) (lo - zp) << s}) {
                    long w = 1L << (s + 2);
                    long from = Math.max(edge - w, SPAN + 1);
                    if (edge + w > SPAN) {
                        ranges.add(new long[] {s, h, from, edge + w});
                    }
                    long to = Math.min(edge + w, -SPAN - 1);
                    if (edge - w < -SPAN) {
                        ranges.add(new long[] {s, h, edge - w, to});
                    }
                }
                ranges.add(new long[] {s, h, Integer.MIN_VALUE, Integer.MIN_VALUE + 63L});
                ranges.add(new long[] {s, h, Integer.MAX_VALUE - 63L, Integer.MAX_VALUE});
            }
        }
        StringBuilder in = new StringBuilder();
        for (long[] r : ranges) {
            in.append(r[0]).append(' ').append(r[1]).append(' ').append(r[2]).append(' ').append(r[3]).append('\n');
        }
        Files.writeString(work.resolve("requant.in"), in);
        Verilator.run(exe, work, List.of("+zp=" + zp, "+lo=" + lo, "+hi=" + hi), 600);

        List<String> out = Files.readAllLines(work.resolve("requant.out"));
        int k = 0;
        for (long[] r : ranges) {
            ShiftRequantizer rq = new ShiftRequantizer((int) r[0], clamp, r[1] == 1 ? Rounding.ROUND_HALF_UP
                    : Rounding.FLOOR);
            for (long a = r[2]; a <= r[3]; a++, k++) {
                if (k >= out.size()) {
                    fail("RTL wrote " + out.size() + " results, expected more");
                }
                int expected = rq.requantize((int) a) & 0xFF;
                int actual = Integer.parseInt(out.get(k).trim());
                if (expected != actual) {
                    fail(what + ": acc " + a + ", shift " + r[0] + ", " + rq.rounding() + ": RTL " + actual
                            + ", Java " + expected + " (as an unsigned byte)");
                }
            }
        }
        assertEquals(k, out.size(), "result count");
        assertEquals(true, k > 26 * 2 * SPAN, "vectors: " + k);
    }
}
