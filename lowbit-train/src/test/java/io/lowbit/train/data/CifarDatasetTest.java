package io.lowbit.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarDatasetTest {

    @TempDir
    Path root;

    @Test
    void loadsTheMiniSetFromTheSharedData() throws IOException {
        var ds = CifarDataset.load(DatasetName.CIFAR10_MINI, LabelKind.FINE, Fixtures.sharedData(), false);
        assertEquals(2000, ds.train().size());
        assertEquals(1000, ds.test().size());
        assertEquals(10, ds.numClasses());
        assertEquals(ClassNames.CIFAR10, ds.train().classNames());
    }

    @Test
    void missingFilesWithoutDownloadSayWhatWhereAndHow() {
        Fixtures.write(root.resolve("cifar-10-batches-bin/data_batch_2.bin"), Fixtures.cifar10Records(new int[1], 1));
        var e = assertThrows(DatasetNotFoundException.class,
                () -> CifarDataset.load(DatasetName.CIFAR10, LabelKind.FINE, root, false));
        assertEquals(List.of("data_batch_1.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin",
                "test_batch.bin"), e.missingFiles());
        assertEquals(root.resolve("cifar-10-batches-bin"), e.directory());
        String message = e.getMessage();
        for (String expected : List.of("missing data_batch_1.bin, data_batch_3.bin", "test_batch.bin",
                root.resolve("cifar-10-batches-bin").toString(), "cifar-10-binary.tar.gz",
                DatasetSource.CIFAR10.url().toString(), DatasetSource.CIFAR10.md5(), "--data-dir", "LOWBIT_DATA",
                "enable downloading")) {
            assertTrue(message.contains(expected), () -> "'" + expected + "' not in: " + message);
        }
        assertFalse(message.contains("data_batch_2.bin"), message);
    }

    @Test
    void missingMiniSetExplainsThatItCannotBeDownloaded() {
        var e = assertThrows(DatasetNotFoundException.class,
                () -> CifarDataset.load(DatasetName.CIFAR10_MINI, LabelKind.FINE, root, true));
        assertEquals(List.of("data_batch_*.bin (at least one)", "test_batch.bin"), e.missingFiles());
        assertTrue(e.getMessage().contains("cannot be downloaded"), e.getMessage());
        assertTrue(e.getMessage().contains(root.resolve("cifar-10-mini").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("LOWBIT_DATA"), e.getMessage());
    }

    @Test
    void miniSetUsesEveryTrainingBatchInNumericOrder() throws IOException {
        Path folder = root.resolve("cifar-10-mini");
        Fixtures.write(folder.resolve("data_batch_10.bin"), Fixtures.cifar10Records(new int[] {3}, 1));
        Fixtures.write(folder.resolve("data_batch_2.bin"), Fixtures.cifar10Records(new int[] {2}, 2));
        Fixtures.write(folder.resolve("data_batch_1.bin"), Fixtures.cifar10Records(new int[] {1, 1}, 3));
        Fixtures.write(folder.resolve("data_batch_1.indices.txt"), new byte[] {'0'});
        Fixtures.write(folder.resolve("test_batch.bin"), Fixtures.cifar10Records(new int[] {9}, 4));
        var ds = CifarDataset.load(DatasetName.CIFAR10_MINI, LabelKind.FINE, root, false);
        assertArrayEquals(new int[] {1, 1, 2, 3}, ds.train().labels());
        assertArrayEquals(new int[] {9}, ds.test().labels());
    }

    @Test
    void cifar100UsesTheNameFilesWhenPresentAndDefaultsOtherwise() throws IOException {
        Path folder = root.resolve("cifar-100-binary");
        Fixtures.write(folder.resolve("train.bin"), Fixtures.cifar100Records(new int[] {1, 2}, new int[] {10, 20}, 1));
        Fixtures.write(folder.resolve("test.bin"), Fixtures.cifar100Records(new int[] {3}, new int[] {30}, 2));

        var defaults = CifarDataset.load(DatasetName.CIFAR100, LabelKind.FINE, root, false);
        assertEquals(ClassNames.CIFAR100_FINE, defaults.train().classNames());
        assertArrayEquals(new int[] {10, 20}, defaults.train().labels());

        List<String> coarseNames = Fixtures.classNames(20);
        Fixtures.writeLines(folder.resolve("coarse_label_names.txt"), coarseNames);
        Fixtures.write(folder.resolve("fine_label_names.txt"), new byte[0]); // unused for COARSE
        var coarse = CifarDataset.load(DatasetName.CIFAR100, LabelKind.COARSE, root, false);
        assertEquals(coarseNames, coarse.test().classNames());
        assertArrayEquals(new int[] {3}, coarse.test().labels());

        var e = assertThrows(InvalidDatasetException.class,
                () -> CifarDataset.load(DatasetName.CIFAR100, LabelKind.FINE, root, false));
        assertEquals(folder.resolve("fine_label_names.txt"), e.file());
        assertTrue(e.getMessage().contains("expected 100 class names"), e.getMessage());
    }

    @Test
    void metaFileWithTrailingBlankLinesIsAccepted() throws IOException {
        Path folder = root.resolve("cifar-10-mini");
        Fixtures.write(folder.resolve("data_batch_1.bin"), Fixtures.cifar10Records(new int[] {1}, 1));
        Fixtures.write(folder.resolve("test_batch.bin"), Fixtures.cifar10Records(new int[] {2}, 2));
        List<String> names = Fixtures.classNames(10);
        Fixtures.writeLines(folder.resolve("batches.meta.txt"), concat(names, List.of("", "")));
        assertEquals(names, CifarDataset.load(DatasetName.CIFAR10_MINI, LabelKind.FINE, root, false)
                .train().classNames());
    }

    @Test
    void downloadsMissingDatasetAndLoadsIt() throws IOException {
        byte[] train = Fixtures.cifar100Records(new int[] {0, 19}, new int[] {4, 99}, 1);
        byte[] test = Fixtures.cifar100Records(new int[] {5}, new int[] {42}, 2);
        byte[] archive = new Fixtures.TarGz()
                .directory("cifar-100-binary")
                .file("cifar-100-binary/train.bin", train)
                .file("cifar-100-binary/test.bin", test)
                .build();
        try (var server = new Fixtures.ArchiveServer("c100.tar.gz", archive)) {
            var source = new DatasetSource(server.uri("c100.tar.gz"), Fixtures.md5(archive), "c100.tar.gz",
                    "cifar-100-binary");
            var ds = CifarDataset.load(DatasetName.CIFAR100, LabelKind.COARSE, root, source,
                    new CifarDownloader(HttpClient.newHttpClient(), true));
            assertArrayEquals(new int[] {0, 19}, ds.train().labels());
            assertArrayEquals(Fixtures.pixelsOf(test, 3074), ds.test().pixels());
            assertEquals(1, server.requests());

            // second load finds the files and does not download again
            CifarDataset.load(DatasetName.CIFAR100, LabelKind.FINE, root, source,
                    new CifarDownloader(HttpClient.newHttpClient(), false));
            assertEquals(1, server.requests());
        }
    }

    @Test
    void failedDownloadIsReportedWithTheInstructions() throws IOException {
        try (var server = new Fixtures.ArchiveServer("other.tar.gz", new byte[1])) {
            var source = new DatasetSource(server.uri("c10.tar.gz"), DatasetSource.CIFAR10.md5(), "c10.tar.gz",
                    "cifar-10-batches-bin");
            var e = assertThrows(DatasetNotFoundException.class, () -> CifarDataset.load(DatasetName.CIFAR10,
                    LabelKind.FINE, root, source, new CifarDownloader(HttpClient.newHttpClient(), false)));
            assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
            assertTrue(e.getMessage().contains(source.url().toString()), e.getMessage());
            assertTrue(e.getMessage().contains("LOWBIT_DATA"), e.getMessage());
            assertInstanceOf(IOException.class, e.getCause());
            assertEquals(List.of(), Fixtures.listRecursively(root));
        }
    }

    @Test
    void sourceMustUnpackToTheDatasetFolder() {
        assertThrows(IllegalArgumentException.class, () -> CifarDataset.load(DatasetName.CIFAR10, LabelKind.FINE,
                root, DatasetSource.CIFAR100, CifarDownloader.create()));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
