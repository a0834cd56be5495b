package io.lowbit.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BatchLoaderTest {

    private static final int IMAGE = LabeledImages.IMAGE_BYTES;
    /** Maps pixel p to p / 255 exactly, so tests can recover the byte from the float. */
    private static final Normalization IDENTITY = new Normalization(new float[3], new float[] {1, 1, 1});

    private static BatchLoader loader(LabeledImages data, int batchSize, boolean shuffle, boolean dropLast,
            Augmentation augmentation, InputEncoding input, long seed, int epoch) {
        return BatchLoader.forEpoch(data, batchSize, shuffle, dropLast, augmentation, input, seed, epoch);
    }

    private static List<Batch> drain(BatchLoader loader) {
        try (loader) {
            List<Batch> batches = new ArrayList<>();
            loader.forEachRemaining(batches::add);
            assertEquals(loader.batchesPerEpoch(), batches.size());
            return batches;
        }
    }

    /** Images whose first two red bytes encode their index, so every output image can be traced back. */
    private static LabeledImages indexedImages(int n) {
        var images = Fixtures.randomImages(n, 10, n);
        byte[] pixels = images.pixels().clone();
        for (int i = 0; i < n; i++) {
            pixels[i * IMAGE] = (byte) i;
            pixels[i * IMAGE + 1] = (byte) (i >> 8);
        }
        return new LabeledImages(pixels, images.labels(), 10, images.classNames());
    }

    /** Indices of the images in the batches of an un-augmented, IDENTITY-normalized epoch, in order. */
    private static int[] decodeIndices(List<Batch> batches) {
        return batches.stream().flatMapToInt(b -> IntStream.range(0, b.size())
                .map(j -> Math.round(b.data()[j * IMAGE] * 255) | Math.round(b.data()[j * IMAGE + 1] * 255) << 8))
                .toArray();
    }

    @Test
    void withoutAugmentationBatchesHoldExactlyTheNormalizedPixels() {
        var data = Fixtures.randomImages(10, 10, 1);
        var batches = drain(loader(data, 4, false, false, Augmentation.NONE, Normalization.CIFAR10, 1, 0));
        assertEquals(List.of(4, 4, 2), batches.stream().map(Batch::size).toList());
        int image = 0;
        for (Batch batch : batches) {
            for (int j = 0; j < batch.size(); j++, image++) {
                assertEquals(data.labels()[image], batch.labels()[j]);
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < 32; y++) {
                        for (int x = 0; x < 32; x++) {
                            float expected = Normalization.CIFAR10.apply(c, data.pixel(image, c, y, x));
                            assertEquals(expected, batch.data()[j * IMAGE + c * 1024 + y * 32 + x]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void randomCropIsAShiftedPossiblyFlippedCopyWithNormalizedZeroBorder() {
        assertShiftedCopies(Normalization.CIFAR10);
    }

    /** Training on the integer model's input: every value, the padding (pixel 0) too, is a code times the step. */
    @Test
    void randomCropOfInputCodesIsTheSameCopyOfCodesTimesStep() {
        InputCodes codes = InputCodes.of(Normalization.CIFAR10, 8);
        assertShiftedCopies(codes);
        var batch = drain(loader(Fixtures.randomImages(8, 10, 9), 8, false, false, Augmentation.STANDARD, codes, 1,
                0)).get(0);
        List<Set<Float>> values = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            Set<Float> v = new HashSet<>();
            for (int p = 0; p < 256; p++) {
                v.add(codes.code(c, p) * codes.step());
            }
            values.add(v);
        }
        for (int i = 0; i < batch.data().length; i++) {
            int c = i % IMAGE / LabeledImages.PLANE_BYTES;
            assertTrue(values.get(c).contains(batch.data()[i]), "value " + i + " is not a code·step of channel " + c);
        }
    }

    private static void assertShiftedCopies(InputEncoding input) {
        int n = 200;
        var data = Fixtures.randomImages(n, 10, 2);
        var batches = drain(loader(data, 64, false, false, Augmentation.STANDARD, input, 42, 0));
        Set<String> seen = new HashSet<>();
        int image = 0;
        for (Batch batch : batches) {
            for (int j = 0; j < batch.size(); j++, image++) {
                float[] actual = Arrays.copyOfRange(batch.data(), j * IMAGE, (j + 1) * IMAGE);
                List<String> matches = new ArrayList<>();
                for (int dy = -4; dy <= 4; dy++) {
                    for (int dx = -4; dx <= 4; dx++) {
                        for (boolean flip : new boolean[] {false, true}) {
                            if (Arrays.equals(actual, shifted(data, image, dy, dx, flip, input))) {
                                matches.add(dy + "," + dx + "," + flip);
                            }
                        }
                    }
                }
                assertEquals(1, matches.size(), "image " + image + " matches " + matches);
                seen.add(matches.get(0));
            }
        }
        // 200 draws from 162 outcomes: both flips and many different offsets occur
        assertTrue(seen.stream().anyMatch(s -> s.endsWith("true")), seen.toString());
        assertTrue(seen.stream().anyMatch(s -> s.endsWith("false")), seen.toString());
        assertTrue(seen.size() > 50, seen.toString());
    }

    @Test
    void cropOnlyNeverFlips() {
        var data = Fixtures.randomImages(50, 10, 3);
        var batch = drain(loader(data, 50, false, false, new Augmentation(2, false), IDENTITY, 5, 1)).get(0);
        for (int i = 0; i < 50; i++) {
            float[] actual = Arrays.copyOfRange(batch.data(), i * IMAGE, (i + 1) * IMAGE);
            int image = i;
            boolean found = IntStream.rangeClosed(-2, 2).anyMatch(dy -> IntStream.rangeClosed(-2, 2)
                    .anyMatch(dx -> Arrays.equals(actual, shifted(data, image, dy, dx, false, IDENTITY))));
            assertTrue(found, "image " + i);
        }
    }

    /** Reference implementation: pad by |shift| with zeros, crop, mirror, encode; written for clarity. */
    private static float[] shifted(LabeledImages data, int image, int dy, int dx, boolean flip, InputEncoding n) {
        float[] out = new float[IMAGE];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    int cropX = flip ? 31 - x : x;
                    int sy = y + dy;
                    int sx = cropX + dx;
                    boolean inside = sy >= 0 && sy < 32 && sx >= 0 && sx < 32;
                    out[c * 1024 + y * 32 + x] = n.value(c, inside ? data.pixel(image, c, sy, sx) : 0);
                }
            }
        }
        return out;
    }

    @Test
    void sameSeedAndEpochGiveIdenticalBatchesOtherEpochsDiffer() {
        var data = Fixtures.randomImages(100, 10, 4);
        var first = drain(loader(data, 16, true, false, Augmentation.STANDARD, Normalization.CIFAR10, 7, 3));
        var again = drain(loader(data, 16, true, false, Augmentation.STANDARD, Normalization.CIFAR10, 7, 3));
        var nextEpoch = drain(loader(data, 16, true, false, Augmentation.STANDARD, Normalization.CIFAR10, 7, 4));
        var otherSeed = drain(loader(data, 16, true, false, Augmentation.STANDARD, Normalization.CIFAR10, 8, 3));
        assertEquals(first, again);
        assertFalse(Arrays.equals(labelsOf(first), labelsOf(nextEpoch)));
        assertFalse(Arrays.equals(labelsOf(first), labelsOf(otherSeed)));
    }

    @Test
    void orderIsAPermutationThatChangesEveryEpoch() {
        var data = indexedImages(300);
        int[] epoch0 = decodeIndices(drain(loader(data, 32, true, false, Augmentation.NONE, IDENTITY, 1, 0)));
        int[] epoch1 = decodeIndices(drain(loader(data, 32, true, false, Augmentation.NONE, IDENTITY, 1, 1)));
        int[] inOrder = decodeIndices(drain(loader(data, 32, false, false, Augmentation.NONE, IDENTITY, 1, 0)));
        assertArrayEquals(IntStream.range(0, 300).toArray(), inOrder);
        assertArrayEquals(inOrder, IntStream.of(epoch0).sorted().toArray());
        assertArrayEquals(inOrder, IntStream.of(epoch1).sorted().toArray());
        assertFalse(Arrays.equals(epoch0, epoch1));
        assertFalse(Arrays.equals(epoch0, inOrder));
    }

    @Property(tries = 40)
    void everySampleAppearsOnceAndBatchSizeDoesNotChangeTheSamples(@ForAll @IntRange(max = 300) int n,
            @ForAll @IntRange(min = 1, max = 70) int batchSize, @ForAll boolean dropLast, @ForAll long seed) {
        var data = indexedImages(n);
        var batches = drain(loader(data, batchSize, true, dropLast, Augmentation.NONE, IDENTITY, seed, 2));
        int[] indices = decodeIndices(batches);
        int expectedCount = dropLast ? n / batchSize * batchSize : n;
        assertEquals(expectedCount, indices.length);
        assertEquals(expectedCount, IntStream.of(indices).distinct().count());
        assertTrue(batches.stream().allMatch(b -> b.size() == batchSize || !dropLast));

        // one big batch sees the same samples, identically augmented, in the same order
        var augmented = drain(loader(data, batchSize, true, false, Augmentation.STANDARD, IDENTITY, seed, 2));
        var whole = drain(loader(data, Math.max(1, n), true, false, Augmentation.STANDARD, IDENTITY, seed, 2));
        float[] concatenated = new float[n * IMAGE];
        int offset = 0;
        for (Batch b : augmented) {
            System.arraycopy(b.data(), 0, concatenated, offset, b.data().length);
            offset += b.data().length;
        }
        assertArrayEquals(n == 0 ? new float[0] : whole.get(0).data(), concatenated);
    }

    @Test
    void dropLastSkipsThePartialBatch() {
        var data = Fixtures.randomImages(10, 10, 5);
        var kept = drain(loader(data, 4, true, false, Augmentation.NONE, Normalization.CIFAR10, 0, 0));
        var dropped = drain(loader(data, 4, true, true, Augmentation.NONE, Normalization.CIFAR10, 0, 0));
        assertEquals(List.of(4, 4, 2), kept.stream().map(Batch::size).toList());
        assertEquals(List.of(4, 4), dropped.stream().map(Batch::size).toList());
        assertEquals(kept.subList(0, 2), dropped);
        assertEquals(2 * IMAGE, kept.get(2).data().length);
        assertEquals(3, BatchLoader.countBatches(10, 4, false));
        assertEquals(2, BatchLoader.countBatches(10, 4, true));
        assertEquals(0, BatchLoader.countBatches(3, 4, true));
    }

    @Test
    void emptyEpochHasNoBatches() {
        var data = Fixtures.randomImages(3, 10, 6);
        try (var loader = loader(data, 4, true, true, Augmentation.NONE, Normalization.CIFAR10, 0, 0)) {
            assertEquals(0, loader.batchesPerEpoch());
            assertFalse(loader.hasNext());
            assertThrows(NoSuchElementException.class, loader::next);
        }
    }

    @Test
    void iteratorContract() {
        var data = Fixtures.randomImages(5, 10, 7);
        var loader = loader(data, 2, false, false, Augmentation.NONE, Normalization.CIFAR10, 0, 0);
        assertEquals(3, loader.batchesPerEpoch());
        drain(loader);
        assertTrue(loader.waitNanos() >= 0);
        assertFalse(loader.hasNext());
        assertThrows(IllegalStateException.class, loader::next); // closed by drain
        var fresh = loader(data, 2, false, false, Augmentation.NONE, Normalization.CIFAR10, 0, 0);
        fresh.forEachRemaining(b -> { });
        assertThrows(NoSuchElementException.class, fresh::next);
        fresh.close();
        fresh.close(); // idempotent
    }

    @Test
    void rejectsBadArguments() {
        var data = Fixtures.randomImages(5, 10, 8);
        assertThrows(IllegalArgumentException.class,
                () -> loader(data, 0, false, false, Augmentation.NONE, Normalization.CIFAR10, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> loader(data, 1, false, false, Augmentation.NONE, Normalization.CIFAR10, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> new Augmentation(-1, false));
    }

    @Test
    void closeStopsTheWorkerMidEpoch() throws InterruptedException {
        int epoch = 424_242;
        var loader = loader(Fixtures.randomImages(500, 10, 9), 1, true, false, Augmentation.STANDARD,
                Normalization.CIFAR10, 0, epoch);
        loader.next();
        assertTrue(worker(epoch).isPresent());
        loader.close();
        assertFalse(loader.hasNext());
        assertFalse(worker(epoch).isPresent());
    }

    @Test
    void workerFailuresReachTheCaller() throws InterruptedException {
        int epoch = 434_343;
        try (var loader = loader(Fixtures.randomImages(500, 10, 10), 1, false, false, Augmentation.NONE,
                Normalization.CIFAR10, 0, epoch)) {
            Thread worker = worker(epoch).orElseThrow();
            worker.interrupt(); // stands in for any failure while preparing a batch
            var e = assertThrows(IllegalStateException.class, () -> {
                while (loader.hasNext()) {
                    loader.next();
                }
            });
            assertInstanceOf(InterruptedException.class, e.getCause());
            assertFalse(loader.hasNext());
        }
    }

    private static Optional<Thread> worker(int epoch) throws InterruptedException {
        String name = "lowbit-batches-epoch-" + epoch;
        for (int attempt = 0; attempt < 100; attempt++) { // the thread is started but may not be listed yet
            Optional<Thread> found = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals(name) && t.isAlive()).findAny();
            if (found.isPresent()) {
                return found;
            }
            Thread.sleep(10);
        }
        return Optional.empty();
    }

    @Test
    void throughputOnTheMiniSet() throws IOException {
        var train = CifarDataset.load(DatasetName.CIFAR10_MINI, LabelKind.FINE, Fixtures.sharedData(), false).train();
        long start = System.nanoTime();
        long wait = 0;
        int images = 0;
        for (int epoch = 0; epoch < 3; epoch++) {
            try (var loader = loader(train, 128, true, true, Augmentation.STANDARD, Normalization.CIFAR10, 1, epoch)) {
                while (loader.hasNext()) {
                    images += loader.next().size();
                }
                wait += loader.waitNanos();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("BatchLoader: %d augmented images in %.3f s (%.0f images/s), consumer waited %.3f s%n",
                images, seconds, images / seconds, wait / 1e9);
        assertEquals(3 * (2000 / 128) * 128, images);
    }

    private static int[] labelsOf(List<Batch> batches) {
        return batches.stream().flatMapToInt(b -> IntStream.of(b.labels())).toArray();
    }
}
