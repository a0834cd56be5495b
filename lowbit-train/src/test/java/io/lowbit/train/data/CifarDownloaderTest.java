package io.lowbit.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarDownloaderTest {

    private static final String ARCHIVE = "cifar-10-binary.tar.gz";
    private static final String FOLDER = "cifar-10-batches-bin";

    @TempDir
    Path tmp;

    private Path dataRoot() throws IOException {
        return Files.createDirectories(tmp.resolve("data"));
    }

    private static CifarDownloader quiet() {
        return new CifarDownloader(HttpClient.newHttpClient(), false);
    }

    /** Downloads {@code archive} served locally, with its correct MD5 unless {@code md5} is given. */
    private static Path download(CifarDownloader downloader, byte[] archive, String md5, Path dataRoot)
            throws IOException {
        try (var server = new Fixtures.ArchiveServer(ARCHIVE, archive)) {
            var source = new DatasetSource(server.uri(ARCHIVE), md5 != null ? md5 : Fixtures.md5(archive), ARCHIVE,
                    FOLDER);
            return downloader.download(source, dataRoot);
        }
    }

    @Test
    void downloadsVerifiesAndUnpacksIntoPlace() throws IOException {
        byte[] batch = Fixtures.cifar10Records(new int[] {3, 4}, 1);
        byte[] archive = new Fixtures.TarGz()
                .directory(FOLDER)
                .file(FOLDER + "/test_batch.bin", batch)
                .file(FOLDER + "/batches.meta.txt", "a\nb\n".getBytes())
                .build();
        Path root = dataRoot();
        Path folder = download(quiet(), archive, null, root);
        assertEquals(root.resolve(FOLDER), folder);
        assertArrayEquals(batch, Files.readAllBytes(folder.resolve("test_batch.bin")));
        // archive and staging directory are gone
        assertEquals(List.of(FOLDER, FOLDER + "/batches.meta.txt", FOLDER + "/test_batch.bin"),
                Fixtures.listRecursively(root));
    }

    @Test
    void createsTheDataDirectoryAndAcceptsDotSlashNames() throws IOException {
        byte[] archive = new Fixtures.TarGz()
                .directory("./")
                .file("./" + FOLDER + "/test_batch.bin", new byte[3073])
                .build();
        Path root = tmp.resolve("not/yet/there");
        download(quiet(), archive, null, root);
        assertTrue(Files.isRegularFile(root.resolve(FOLDER).resolve("test_batch.bin")));
    }

    @Test
    void md5MismatchDeletesTheDownloadAndNamesBothHashes() throws IOException {
        byte[] archive = new Fixtures.TarGz().file(FOLDER + "/test_batch.bin", new byte[3073]).build();
        String wrong = "0123456789abcdef0123456789abcdef";
        Path root = dataRoot();
        var e = assertThrows(IOException.class, () -> download(quiet(), archive, wrong, root));
        assertTrue(e.getMessage().contains("MD5 mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains(wrong), e.getMessage());
        assertTrue(e.getMessage().contains(Fixtures.md5(archive)), e.getMessage());
        assertEquals(List.of(), Fixtures.listRecursively(root));
    }

    @Test
    void pathTraversalIsRejected() throws IOException {
        byte[] archive = new Fixtures.TarGz()
                .file(FOLDER + "/test_batch.bin", new byte[3073])
                .file("../evil.bin", new byte[] {1})
                .build();
        Path root = dataRoot();
        var e = assertThrows(IOException.class, () -> download(quiet(), archive, null, root));
        assertTrue(e.getMessage().contains("'../evil.bin'"), e.getMessage());
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("evil.bin")));
        assertEquals(List.of(), Fixtures.listRecursively(root));
    }

    @Test
    void traversalHiddenInsideAPathIsRejected() throws IOException {
        byte[] archive = new Fixtures.TarGz().file(FOLDER + "/../../evil.bin", new byte[] {1}).build();
        Path root = dataRoot();
        assertThrows(IOException.class, () -> download(quiet(), archive, null, root));
        assertFalse(Files.exists(tmp.resolve("evil.bin")));
        assertEquals(List.of(), Fixtures.listRecursively(root));
    }

    @Test
    void absolutePathIsRejected() throws IOException {
        Path outside = tmp.resolve("absolute-evil.bin");
        byte[] archive = new Fixtures.TarGz().file(outside.toString(), new byte[] {1}).build();
        Path root = dataRoot();
        var e = assertThrows(IOException.class, () -> download(quiet(), archive, null, root));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        assertFalse(Files.exists(outside));
    }

    @Test
    void symbolicLinksAreRejected() throws IOException {
        byte[] archive = new Fixtures.TarGz()
                .directory(FOLDER)
                .symlink(FOLDER + "/test_batch.bin", "/etc/passwd")
                .build();
        Path root = dataRoot();
        var e = assertThrows(IOException.class, () -> download(quiet(), archive, null, root));
        assertTrue(e.getMessage().contains("is a link"), e.getMessage());
        assertEquals(List.of(), Fixtures.listRecursively(root));
    }

    @Test
    void oversizedEntriesAreRejected() throws IOException {
        byte[] archive = new Fixtures.TarGz().file(FOLDER + "/test_batch.bin", new byte[3073]).build();
        var strict = new CifarDownloader(HttpClient.newHttpClient(), false, new TarGzExtractor(3000, 1 << 20, 10));
        Path root = dataRoot();
        var e = assertThrows(IOException.class, () -> download(strict, archive, null, root));
        assertTrue(e.getMessage().contains("larger than the limit of 3000 bytes"), e.getMessage());
        assertEquals(List.of(), Fixtures.listRecursively(root));
    }

    @Test
    void archiveWithoutTheDatasetFolderIsRejected() throws IOException {
        byte[] archive = new Fixtures.TarGz().file("something-else/test_batch.bin", new byte[3073]).build();
        Path root = dataRoot();
        var e = assertThrows(IOException.class, () -> download(quiet(), archive, null, root));
        assertTrue(e.getMessage().contains("does not contain the folder " + FOLDER), e.getMessage());
        assertEquals(List.of(), Fixtures.listRecursively(root));
    }

    @Test
    void neverOverwritesAnExistingDatasetFolder() throws IOException {
        byte[] archive = new Fixtures.TarGz().file(FOLDER + "/test_batch.bin", new byte[3073]).build();
        Path root = dataRoot();
        Fixtures.write(root.resolve(FOLDER).resolve("data_batch_1.bin"), new byte[] {1});
        try (var server = new Fixtures.ArchiveServer(ARCHIVE, archive)) {
            var source = new DatasetSource(server.uri(ARCHIVE), Fixtures.md5(archive), ARCHIVE, FOLDER);
            var e = assertThrows(FileAlreadyExistsException.class, () -> quiet().download(source, root));
            assertTrue(e.getMessage().contains("Delete it"), e.getMessage());
            assertEquals(0, server.requests());
        }
        assertEquals(List.of(FOLDER, FOLDER + "/data_batch_1.bin"), Fixtures.listRecursively(root));
    }

    @Test
    void anEmptyDatasetFolderIsReplaced() throws IOException {
        byte[] archive = new Fixtures.TarGz().file(FOLDER + "/test_batch.bin", new byte[3073]).build();
        Path root = dataRoot();
        Files.createDirectories(root.resolve(FOLDER));
        download(quiet(), archive, null, root);
        assertTrue(Files.isRegularFile(root.resolve(FOLDER).resolve("test_batch.bin")));
    }
}
