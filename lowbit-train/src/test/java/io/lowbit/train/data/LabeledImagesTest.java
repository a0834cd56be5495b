package io.lowbit.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabeledImagesTest {

    private static final List<String> THREE = List.of("a", "b", "c");

    @Test
    void pixelIndexesChannelPlanesRowMajor() {
        byte[] pixels = new byte[2 * LabeledImages.IMAGE_BYTES];
        // image 1, green (channel 1), row 5, column 7
        pixels[LabeledImages.IMAGE_BYTES + LabeledImages.PLANE_BYTES + 5 * 32 + 7] = (byte) 200;
        var images = new LabeledImages(pixels, new int[] {0, 2}, 3, THREE);
        assertEquals(200, images.pixel(1, 1, 5, 7));
        assertEquals(0, images.pixel(1, 1, 7, 5));
        assertEquals("c", images.className(1));
        assertThrows(IndexOutOfBoundsException.class, () -> images.pixel(0, 3, 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> images.pixel(2, 0, 0, 0));
    }

    @Test
    void constructorRejectsInconsistentInput() {
        byte[] one = new byte[LabeledImages.IMAGE_BYTES];
        var lengths = assertThrows(IllegalArgumentException.class,
                () -> new LabeledImages(one, new int[] {0, 1}, 3, THREE));
        assertTrue(lengths.getMessage().contains("3072"), lengths.getMessage());
        var label = assertThrows(IllegalArgumentException.class,
                () -> new LabeledImages(one, new int[] {3}, 3, THREE));
        assertTrue(label.getMessage().contains("image 0 is 3"), label.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LabeledImages(one, new int[] {-1}, 3, THREE));
        assertThrows(IllegalArgumentException.class, () -> new LabeledImages(one, new int[] {0}, 3, List.of("a")));
    }

    @Test
    void firstAndSubsetCopyWholeImages() {
        var images = Fixtures.randomImages(10, 3, 1);
        var first = images.first(4);
        assertEquals(4, first.size());
        assertArrayEquals(Arrays.copyOf(images.pixels(), 4 * LabeledImages.IMAGE_BYTES), first.pixels());
        assertEquals(images, images.first(10));
        assertThrows(IllegalArgumentException.class, () -> images.first(11));

        var subset = images.subset(new int[] {7, 2, 7});
        assertArrayEquals(new int[] {images.labels()[7], images.labels()[2], images.labels()[7]}, subset.labels());
        for (int c = 0; c < 3; c++) {
            assertEquals(images.pixel(2, c, 31, 31), subset.pixel(1, c, 31, 31));
            assertEquals(images.pixel(7, c, 0, 3), subset.pixel(2, c, 0, 3));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> images.subset(new int[] {10}));
    }

    @Test
    void balancedSubsetTakesTheFirstOfEachClassInFileOrder() {
        int[] labels = {2, 0, 0, 1, 2, 0, 1, 2, 1};
        var images = new LabeledImages(new byte[labels.length * LabeledImages.IMAGE_BYTES], labels, 3, THREE);
        // first two of each class: indices 0(2) 1(0) 2(0) 3(1) 4(2) 6(1)
        assertArrayEquals(new int[] {2, 0, 0, 1, 2, 1}, images.balancedSubset(2).labels());
        assertArrayEquals(new int[] {3, 3, 3}, images.balancedSubset(3).classCounts());
        var e = assertThrows(IllegalArgumentException.class, () -> images.balancedSubset(4));
        assertTrue(e.getMessage().contains("class 0 (a) has only 3"), e.getMessage());
    }

    @Test
    void equalityComparesContent() {
        var a = Fixtures.randomImages(3, 3, 5);
        var b = new LabeledImages(a.pixels().clone(), a.labels().clone(), 3, a.classNames());
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Fixtures.randomImages(3, 3, 6));
        assertEquals("LabeledImages[3 images, 3 classes]", a.toString());
    }
}
