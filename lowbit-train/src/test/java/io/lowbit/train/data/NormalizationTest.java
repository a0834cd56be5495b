package io.lowbit.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class NormalizationTest {

    @Test
    void constantsHaveThePublishedStatisticsWithMeansOnThePixelGrid() {
        float[][] published = {{0.4914f, 0.4822f, 0.4465f}, {0.5071f, 0.4865f, 0.4409f}};
        Normalization[] norms = {Normalization.CIFAR10, Normalization.CIFAR100};
        for (int d = 0; d < 2; d++) {
            for (int c = 0; c < 3; c++) {
                float m = norms[d].mean()[c];
                assertEquals(Math.round(published[d][c] * 255), m * 255, 1e-4f, "mean is a whole pixel value");
                assertEquals(0f, norms[d].apply(c, Math.round(published[d][c] * 255)), 1e-6f,
                        "real 0 is the pixel value Z_c");
            }
        }
        assertArrayEquals(new float[] {0.2470f, 0.2435f, 0.2616f}, Normalization.CIFAR10.std());
        assertArrayEquals(new float[] {0.2673f, 0.2564f, 0.2762f}, Normalization.CIFAR100.std());
    }

    @Test
    void miniSetUsesCifar10Statistics() {
        assertSame(Normalization.CIFAR10, Normalization.forDataset(DatasetName.CIFAR10));
        assertSame(Normalization.CIFAR10, Normalization.forDataset(DatasetName.CIFAR10_MINI));
        assertSame(Normalization.CIFAR100, Normalization.forDataset(DatasetName.CIFAR100));
    }

    @Property(tries = 200)
    void applyIsExactlyTheDocumentedFloatFormula(@ForAll @IntRange(max = 2) int channel,
            @ForAll @IntRange(max = 255) int pixel) {
        float[] mean = Normalization.CIFAR10.mean();
        float[] std = Normalization.CIFAR10.std();
        assertEquals(((pixel / 255f) - mean[channel]) / std[channel], Normalization.CIFAR10.apply(channel, pixel));
    }

    @Test
    void knownValues() {
        assertEquals(-125f / 255 / 0.2470f, Normalization.CIFAR10.apply(0, 0), 1e-6f);
        assertEquals((1 - 114f / 255) / 0.2616f, Normalization.CIFAR10.apply(2, 255), 1e-6f);
    }

    @Test
    void constantsCannotBeModifiedThroughAccessors() {
        Normalization.CIFAR10.mean()[0] = 42;
        assertEquals(125 / 255f, Normalization.CIFAR10.mean()[0]);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new Normalization(new float[2], new float[] {1, 1, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> new Normalization(new float[3], new float[] {1, 0, 1}));
        assertThrows(IllegalArgumentException.class, () -> Normalization.CIFAR10.apply(0, 256));
        assertThrows(IndexOutOfBoundsException.class, () -> Normalization.CIFAR10.apply(3, 0));
    }
}
