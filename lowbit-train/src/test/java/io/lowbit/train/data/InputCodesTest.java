package io.lowbit.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InputCodesTest {

    /** The int8 table: every normalized pixel within half a step, the (snapped) mean pixel at code 0. */
    @Test
    void roundsEveryNormalizedPixelToTheNearestStep() {
        Normalization norm = Normalization.CIFAR10;
        InputCodes t = InputCodes.of(norm, 8);
        int extreme = 0;
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 256; p++) {
                int code = t.code(c, p);
                double error = Math.abs(code * (double) t.step() - norm.apply(c, p));
                assertTrue(error <= t.step() / 2 * (1 + 1e-6),
                        "channel " + c + " pixel " + p + ": code " + code + " off by " + error / t.step() + " steps");
                assertTrue(Math.abs(code) <= 127);
                extreme = Math.max(extreme, Math.abs(code));
            }
            assertEquals(0, t.code(c, Math.round(norm.mean()[c] * 255)), "snapped mean of channel " + c);
        }
        assertEquals(127, extreme, "the step is the smallest that holds every pixel");
        assertEquals((1 - 123 / 255.0) / 0.2435 / 127, t.step(), 1e-7, "max|n|/127: green 255 for CIFAR-10");
    }

    /** What training is fed is the integer model's input in real units, and the same in every lookup. */
    @Test
    void valueIsCodeTimesStepInFloat() {
        InputCodes t = InputCodes.of(Normalization.CIFAR10, 8);
        int[] table = t.table();
        for (int c = 0; c < 3; c++) {
            float[] values = t.table(c);
            for (int p = 0; p < 256; p++) {
                assertEquals(table[c * 256 + p], t.code(c, p));
                assertEquals(t.code(c, p) * t.step(), t.value(c, p));
                assertEquals(t.value(c, p), values[p]);
            }
        }
        assertArrayEquals(table, InputCodes.of(Normalization.CIFAR10, 8).table(), "deterministic");
    }

    @Test
    void fewerBitsGiveACoarserSymmetricGrid() {
        InputCodes t4 = InputCodes.of(Normalization.CIFAR10, 4);
        int extreme = 0;
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 256; p++) {
                extreme = Math.max(extreme, Math.abs(t4.code(c, p)));
            }
        }
        assertEquals(7, extreme);
        assertEquals(4, t4.bits());
        assertThrows(IllegalArgumentException.class, () -> InputCodes.of(Normalization.CIFAR10, 1));
        assertThrows(IllegalArgumentException.class, () -> InputCodes.of(Normalization.CIFAR10, 9));
    }
}
