package io.lowbit.rtl.cosim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lowbit.rtl.RtlParameters;
import io.lowbit.rtl.RtlTools;
import io.lowbit.rtl.sim.HexImage;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The banked input-map layout, without a simulator: group {@code g} in bank {@code g mod NB}. */
class FeatureMapLayoutTest {

    private final RtlParameters p = RtlTools.preset(); // PI = 4, NB = 8, banks of 8,192 words

    @Test
    void groupsGoToBanksAndPlanes() {
        FeatureMapLayout layout = new FeatureMapLayout(p);
        assertEquals(8, p.fmBanks());
        // channel 37 of a 10×10 map: group 9, bank 1, second plane
        assertEquals(1, layout.bank(9));
        assertEquals(100 + 23, layout.inBankAddress(9, 23, 100));
        assertEquals((0L * 8 + 1) * 8192 + 123, layout.flatIndex(0, 9, 23, 100));
        assertEquals((1L * 8 + 1) * 8192 + 123, layout.flatIndex(1, 9, 23, 100));
        assertEquals(2 * 100, layout.bankWords(37, 100)); // 10 groups: banks 0 and 1 hold two planes
    }

    /** What the host writes into buffer 0, read back bank by bank as {@code tb_top} dumps it, decodes unchanged. */
    @Test
    void encodedMapDecodesFromABankDump() {
        FeatureMapLayout layout = new FeatureMapLayout(p);
        int c = 37;
        int plane = 6 * 7;
        SplittableRandom rng = new SplittableRandom(5);
        int[] codes = new int[c * plane];
        for (int k = 0; k < codes.length; k++) {
            codes[k] = rng.nextInt(-128, 128);
        }
        List<BigInteger> flat = layout.encode(codes, c, plane).words();
        int words = layout.bankWords(c, plane);
        List<BigInteger> dump = new ArrayList<>();
        for (int b = 0; b < p.fmBanks(); b++) {
            for (int a = 0; a < words; a++) {
                int i = b * p.fmBankDepth() + a;
                dump.add(widen(i < flat.size() ? flat.get(i) : BigInteger.ZERO));
            }
        }
        assertArrayEquals(codes, layout.decode(dump, words, c, plane, 8, true));
    }

    @Test
    void aMapLargerThanABankIsRefused() {
        FeatureMapLayout layout = new FeatureMapLayout(p);
        var e = assertThrows(IllegalArgumentException.class, () -> layout.requireFits("map", 33, 8192));
        assertEquals(true, e.getMessage().contains("words per bank"), e.getMessage());
    }

    /** The host port's format: 8-bit lanes zero-extended to 16 bits. */
    private static BigInteger widen(BigInteger w) {
        BigInteger out = BigInteger.ZERO;
        for (int l = 3; l >= 0; l--) {
            out = out.shiftLeft(16).or(BigInteger.valueOf(HexImage.lane(w, l, 8, false)));
        }
        return out;
    }
}
