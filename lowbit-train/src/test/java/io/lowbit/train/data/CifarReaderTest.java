package io.lowbit.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {

    @TempDir
    Path tmp;

    // --- real data -------------------------------------------------------------------------------------------

    @Test
    void readsTheMiniTestSet() throws IOException {
        var test = CifarReader.read(List.of(Fixtures.miniFolder().resolve("test_batch.bin")), DatasetName.CIFAR10,
                LabelKind.FINE);
        assertEquals(1000, test.size());
        assertArrayEquals(new int[] {103, 89, 100, 103, 90, 86, 112, 102, 106, 109}, test.classCounts());
        assertEquals(3, test.labels()[0]);
        assertEquals("cat", test.className(0));
    }

    @Test
    void readsTheMiniTrainingSet() throws IOException {
        var train = CifarReader.read(List.of(Fixtures.miniFolder().resolve("data_batch_1.bin")),
                DatasetName.CIFAR10, LabelKind.FINE);
        assertEquals(2000, train.size());
        int[] twoHundredEach = new int[10];
        Arrays.fill(twoHundredEach, 200);
        assertArrayEquals(twoHundredEach, train.classCounts());
    }

    @Test
    void miniSetIsTheDocumentedSubsetOfTheFullSet() throws IOException {
        Path full = Fixtures.cifar10Folder();
        var fullTest = CifarReader.read(List.of(full.resolve("test_batch.bin")), DatasetName.CIFAR10, LabelKind.FINE);
        var miniTest = CifarReader.read(List.of(Fixtures.miniFolder().resolve("test_batch.bin")),
                DatasetName.CIFAR10, LabelKind.FINE);
        assertEquals(fullTest.first(1000), miniTest);

        // README: "for each class, the first 200 records of that class in data_batch_1.bin, in file order"
        var batch1 = CifarReader.read(List.of(full.resolve("data_batch_1.bin")), DatasetName.CIFAR10, LabelKind.FINE);
        var miniTrain = CifarReader.read(List.of(Fixtures.miniFolder().resolve("data_batch_1.bin")),
                DatasetName.CIFAR10, LabelKind.FINE);
        assertEquals(batch1.balancedSubset(200), miniTrain);
    }

    @Test
    void readsTheFullTrainingSet() throws IOException {
        Path full = Fixtures.cifar10Folder();
        List<Path> files = IntStream.rangeClosed(1, 5).mapToObj(i -> full.resolve("data_batch_" + i + ".bin")).toList();
        long start = System.nanoTime();
        var train = CifarReader.read(files, DatasetName.CIFAR10, LabelKind.FINE);
        System.out.printf("read 50,000 CIFAR-10 training records in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertEquals(50_000, train.size());
        int[] fiveThousandEach = new int[10];
        Arrays.fill(fiveThousandEach, 5000);
        assertArrayEquals(fiveThousandEach, train.classCounts());
        // per-batch counts published in the README, batch 1 and batch 5
        assertArrayEquals(new int[] {1005, 974, 1032, 1016, 999, 937, 1030, 1001, 1025, 981},
                train.first(10_000).classCounts());
        int[] last = Arrays.copyOfRange(train.labels(), 40_000, 50_000);
        assertArrayEquals(new int[] {1014, 1014, 952, 1016, 997, 1025, 980, 977, 1003, 1022},
                IntStream.range(0, 10).map(c -> (int) Arrays.stream(last).filter(l -> l == c).count()).toArray());
    }

    // --- invalid files ---------------------------------------------------------------------------------------

    @Test
    void truncatedFileIsReportedWithItsNameAndSize() throws IOException {
        byte[] head = Arrays.copyOf(Files.readAllBytes(Fixtures.miniFolder().resolve("test_batch.bin")),
                3073 * 3 + 100);
        Path file = Fixtures.write(tmp.resolve("test_batch.bin"), head);
        var e = assertThrows(InvalidDatasetException.class,
                () -> CifarReader.read(List.of(file), DatasetName.CIFAR10, LabelKind.FINE));
        assertEquals(file, e.file());
        String message = e.getMessage();
        assertTrue(message.startsWith(file.toString()), message);
        assertTrue(message.contains("9319 bytes"), message);
        assertTrue(message.contains("3073-byte"), message);
        assertTrue(message.contains("truncated"), message);
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path file = Fixtures.write(tmp.resolve("data_batch_1.bin"), new byte[0]);
        var e = assertThrows(InvalidDatasetException.class,
                () -> CifarReader.read(List.of(file), DatasetName.CIFAR10, LabelKind.FINE));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesFileRecordAndValue() throws IOException {
        Path good = Fixtures.write(tmp.resolve("good.bin"), Fixtures.cifar10Records(new int[] {1, 2}, 1));
        Path bad = Fixtures.write(tmp.resolve("bad.bin"), Fixtures.cifar10Records(new int[] {0, 9, 10}, 2));
        var e = assertThrows(InvalidDatasetException.class,
                () -> CifarReader.read(List.of(good, bad), DatasetName.CIFAR10, LabelKind.FINE));
        assertEquals(bad, e.file());
        assertTrue(e.getMessage().contains("record 2 has label 10"), e.getMessage());
        assertTrue(e.getMessage().contains("0..9"), e.getMessage());
    }

    @Test
    void oversizedFileIsRefusedBeforeAllocating() throws IOException {
        Path file = tmp.resolve("huge.bin");
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength((CifarReader.MAX_RECORDS_PER_FILE + 1L) * 3073); // sparse: no disk space used
        }
        var e = assertThrows(InvalidDatasetException.class,
                () -> CifarReader.read(List.of(file), DatasetName.CIFAR10, LabelKind.FINE));
        assertTrue(e.getMessage().contains("refusing"), e.getMessage());
    }

    @Test
    void missingFileFailsWithItsPath() {
        Path file = tmp.resolve("nope.bin");
        var e = assertThrows(IOException.class,
                () -> CifarReader.read(List.of(file), DatasetName.CIFAR10, LabelKind.FINE));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void cifar10HasNoCoarseLabels() {
        assertThrows(IllegalArgumentException.class,
                () -> CifarReader.read(List.of(tmp.resolve("x.bin")), DatasetName.CIFAR10, LabelKind.COARSE));
    }

    // --- synthetic records -----------------------------------------------------------------------------------

    @Test
    void concatenatesFilesInOrder() throws IOException {
        byte[] first = Fixtures.cifar10Records(new int[] {5, 6}, 3);
        byte[] second = Fixtures.cifar10Records(new int[] {7}, 4);
        Path a = Fixtures.write(tmp.resolve("a.bin"), first);
        Path b = Fixtures.write(tmp.resolve("b.bin"), second);
        var images = CifarReader.read(List.of(a, b), DatasetName.CIFAR10, LabelKind.FINE);
        assertArrayEquals(new int[] {5, 6, 7}, images.labels());
        byte[] expected = new byte[3 * LabeledImages.IMAGE_BYTES];
        System.arraycopy(Fixtures.pixelsOf(first, 3073), 0, expected, 0, 2 * LabeledImages.IMAGE_BYTES);
        System.arraycopy(Fixtures.pixelsOf(second, 3073), 0, expected, 2 * LabeledImages.IMAGE_BYTES,
                LabeledImages.IMAGE_BYTES);
        assertArrayEquals(expected, images.pixels());
    }

    @Test
    void readsCifar100FineAndCoarseLabels() throws IOException {
        int[] coarse = {0, 19, 4, 7};
        int[] fine = {99, 0, 55, 12};
        byte[] records = Fixtures.cifar100Records(coarse, fine, 7);
        Path file = Fixtures.write(tmp.resolve("train.bin"), records);

        var fineImages = CifarReader.read(List.of(file), DatasetName.CIFAR100, LabelKind.FINE);
        assertArrayEquals(fine, fineImages.labels());
        assertEquals(100, fineImages.numClasses());
        assertEquals("worm", fineImages.className(0));
        assertArrayEquals(Fixtures.pixelsOf(records, 3074), fineImages.pixels());

        var coarseImages = CifarReader.read(List.of(file), DatasetName.CIFAR100, LabelKind.COARSE);
        assertArrayEquals(coarse, coarseImages.labels());
        assertEquals(20, coarseImages.numClasses());
        assertEquals("vehicles_2", coarseImages.className(1));
        assertArrayEquals(fineImages.pixels(), coarseImages.pixels());
    }

    @Test
    void cifar100LabelsAreCheckedEvenWhenNotSelected() {
        Path badFine = Fixtures.write(tmp.resolve("fine.bin"),
                Fixtures.cifar100Records(new int[] {1, 2}, new int[] {3, 100}, 1));
        var e = assertThrows(InvalidDatasetException.class,
                () -> CifarReader.read(List.of(badFine), DatasetName.CIFAR100, LabelKind.COARSE));
        assertTrue(e.getMessage().contains("record 1 has fine label 100"), e.getMessage());

        Path badCoarse = Fixtures.write(tmp.resolve("coarse.bin"),
                Fixtures.cifar100Records(new int[] {20}, new int[] {3}, 1));
        e = assertThrows(InvalidDatasetException.class,
                () -> CifarReader.read(List.of(badCoarse), DatasetName.CIFAR100, LabelKind.FINE));
        assertTrue(e.getMessage().contains("record 0 has coarse label 20, but CIFAR-100 coarse labels are 0..19"),
                e.getMessage());
    }

    @Test
    void cifar10FileReadAsCifar100IsRejectedBySize() {
        Path file = Fixtures.write(tmp.resolve("data_batch_1.bin"), Fixtures.cifar10Records(new int[] {1, 2, 3}, 1));
        var e = assertThrows(InvalidDatasetException.class,
                () -> CifarReader.read(List.of(file), DatasetName.CIFAR100, LabelKind.FINE));
        assertTrue(e.getMessage().contains("3074-byte CIFAR-100 records"), e.getMessage());
    }

    @Property(tries = 30)
    void roundTripsArbitraryRecords(@ForAll @Size(min = 1, max = 40) List<@IntRange(max = 9) Integer> labels,
            @ForAll long seed) throws IOException {
        int[] expected = labels.stream().mapToInt(Integer::intValue).toArray();
        byte[] records = Fixtures.cifar10Records(expected, seed);
        Path file = Files.createTempFile("cifar", ".bin");
        try {
            Files.write(file, records);
            var images = CifarReader.read(List.of(file), DatasetName.CIFAR10, LabelKind.FINE);
            assertArrayEquals(expected, images.labels());
            assertArrayEquals(Fixtures.pixelsOf(records, 3073), images.pixels());
        } finally {
            Files.delete(file);
        }
    }
}
