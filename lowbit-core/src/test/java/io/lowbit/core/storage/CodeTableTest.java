package io.lowbit.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lowbit.core.arith.IntType;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerWeights;
import io.lowbit.core.model.OutputStage;
import io.lowbit.core.model.Shape;
import io.lowbit.core.model.Window;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Plain codes with few distinct values as indexes into a table of them (docs/storage.md). */
class CodeTableTest {

    @Property
    void indexesDecodeToTheCodes(@ForAll @Size(min = 1, max = 200) int[] codes) {
        CodeTable t = CodeTable.of(codes);
        int[] indexes = t.encode(codes);
        assertArrayEquals(codes, t.decode(indexes));
        boolean zero = t.levels()[0] == 0;
        for (int i = 0; i < codes.length; i++) {
            if (zero) {
                assertEquals(codes[i] == 0, indexes[i] == 0, "index 0 is code 0");
            }
            assertEquals(0, indexes[i] >>> t.indexBits(), "index " + indexes[i] + " fits " + t.indexBits() + " bits");
        }
    }

    @Property
    void indexBitsAreTheCeilingLog(@ForAll @IntRange(min = 1, max = 300) int distinct) {
        int[] codes = new int[distinct];
        for (int i = 0; i < distinct; i++) {
            codes[i] = i - distinct / 2;
        }
        int bits = new CodeTable(codes).indexBits();
        assertEquals(true, (1 << bits) >= distinct && (bits == 1 || (1 << (bits - 1)) < distinct), bits + " bits");
    }

    /** DoReFa's 2-bit levels, odd codes of an int3 type (pact wgrid=dorefa): 2-bit indexes and a 4 × 3-bit table. */
    @Test
    void dorefaLevelsInInt3AreStoredAsTwoBitIndexes() {
        SplittableRandom rng = new SplittableRandom(1);
        int n = 16 * 8 * 9;
        int[] codes = new int[n];
        int[] odd = {-3, -1, 1, 3};
        for (int i = 0; i < n; i++) {
            codes[i] = odd[rng.nextInt(4)];
        }
        LayerStorage s = StorageReport.layer("conv", conv(IntType.signed(3), codes, 16, 8, 3));
        assertEquals(2, s.valueBits());
        assertEquals(2L * n, s.denseBits());
        assertEquals(4 * 3, s.codebookBits());
        assertEquals(n, s.nonZero());
        assertArrayEquals(new int[] {-3, -1, 1, 3}, CodeTable.of(codes).levels());

        int[] all = new int[n]; // every one of int4's 15 symmetric codes: stored as they are
        for (int i = 0; i < n; i++) {
            all[i] = i % 15 - 7;
        }
        LayerStorage plain = StorageReport.layer("conv", conv(IntType.signed(4), all, 16, 8, 3));
        assertEquals(4, plain.valueBits());
        assertEquals(0, plain.codebookBits());

        // 100 distinct int8 codes in 200 weights: 7-bit indexes save 200 bits, the table costs 800
        int[] few = new int[200];
        for (int i = 0; i < few.length; i++) {
            few[i] = i % 100 - 50;
        }
        LayerStorage small = StorageReport.layer("fc", conv(IntType.INT8, few, 20, 10, 1));
        assertEquals(8, small.valueBits());
        assertEquals(0, small.codebookBits());
    }

    @Test
    void codesAndIndexesOutsideTheTableAreRejected() {
        CodeTable t = CodeTable.of(new int[] {5, 0, -2});
        assertArrayEquals(new int[] {0, -2, 5}, t.levels());
        assertEquals("code 4 at 1 is not in the table",
                assertThrows(IllegalArgumentException.class, () -> t.encode(new int[] {0, 4})).getMessage());
        assertEquals("index 3 at 0 is past the table's 3 entries",
                assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {3})).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CodeTable(new int[0]));
    }

    private static Conv2d conv(IntType type, int[] codes, int out, int in, int k) {
        return new Conv2d(Window.square(k, 1, k / 2), 1, new IntegerWeights(type,
                IntTensor.of(Shape.of(out, in, k, k), codes)), IntTensor.vector(new int[out]),
                new OutputStage.Accumulator());
    }
}
