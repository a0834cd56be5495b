package io.lowbit.train.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Objects;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Downloads a dataset archive, verifies its MD5 and unpacks it into the data directory.
 *
 * <p>Everything happens in temporary files inside the data directory: the archive is downloaded to
 * {@code .<archive>.<random>.part}, unpacked into {@code .unpack-<folder>.<random>/}, and only then is the dataset
 * folder renamed into place in one atomic step. A download that fails or is killed may leave such hidden temporary
 * files behind, but never a partially unpacked dataset folder that looks complete. The archive itself is deleted
 * after unpacking.
 */
public final class CifarDownloader {

    /** Largest accepted archive. The official ones are about 160 MB. */
    public static final long MAX_ARCHIVE_BYTES = 1L << 30;

    private final HttpClient client;
    private final boolean showProgress;
    private final TarGzExtractor extractor;

    /**
     * @param client       client for the download
     * @param showProgress whether to draw a progress bar (bytes, speed, ETA) on standard error
     */
    public CifarDownloader(HttpClient client, boolean showProgress) {
        this(client, showProgress, TarGzExtractor.DEFAULT);
    }

    CifarDownloader(HttpClient client, boolean showProgress, TarGzExtractor extractor) {
        this.client = Objects.requireNonNull(client, "client");
        this.showProgress = showProgress;
        this.extractor = Objects.requireNonNull(extractor, "extractor");
    }

    /** A downloader that follows redirects (not HTTPS to HTTP) and shows a progress bar. */
    public static CifarDownloader create() {
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
        return new CifarDownloader(client, true);
    }

    /**
     * Downloads {@code source} and unpacks it into {@code dataRoot}.
     *
     * @return the unpacked dataset folder, {@code dataRoot/<source.folderName()>}
     * @throws IOException if the download fails, the MD5 does not match, the archive is unsafe or lacks the folder,
     *                     or a non-empty dataset folder already exists (it is never overwritten)
     */
    public Path download(DatasetSource source, Path dataRoot) throws IOException {
        Objects.requireNonNull(source, "source");
        Files.createDirectories(dataRoot);
        Path target = dataRoot.resolve(source.folderName());
        requireAbsentOrEmpty(target);
        Path archive = Files.createTempFile(dataRoot, "." + source.archiveName() + ".", ".part");
        Path staging = null;
        try {
            fetch(source, archive);
            staging = Files.createTempDirectory(dataRoot, ".unpack-" + source.folderName() + ".");
            try {
                extractor.extract(archive, staging);
            } catch (IOException e) {
                throw new IOException("Could not unpack " + source.describe() + ": " + e.getMessage(), e);
            }
            Path unpacked = staging.resolve(source.folderName());
            if (!Files.isDirectory(unpacked)) {
                throw new IOException(source.describe() + " does not contain the folder " + source.folderName()
                        + "/; is the URL right?");
            }
            moveIntoPlace(unpacked, target);
            return target;
        } finally {
            Files.deleteIfExists(archive);
            if (staging != null) {
                deleteRecursively(staging);
            }
        }
    }

    /** Streams the archive to {@code archive} while computing its MD5, and checks length and MD5. */
    private void fetch(DatasetSource source, Path archive) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(source.url()).timeout(Duration.ofMinutes(1)).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while downloading " + source.url());
        }
        MessageDigest md5 = newMd5();
        long received = 0;
        long expected;
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " while downloading " + source.url());
            }
            expected = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (expected > MAX_ARCHIVE_BYTES) {
                throw new IOException(source.url() + " is " + expected + " bytes, more than the limit of "
                        + MAX_ARCHIVE_BYTES + "; refusing to download it");
            }
            ProgressBar progress = showProgress ? progressBar(source, expected) : null;
            try (OutputStream out = Files.newOutputStream(archive)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = body.read(buffer)) >= 0) {
                    received += n;
                    if (received > MAX_ARCHIVE_BYTES) {
                        throw new IOException(source.url() + " sent more than " + MAX_ARCHIVE_BYTES
                                + " bytes; aborted the download");
                    }
                    md5.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                    if (progress != null) {
                        progress.stepTo(received);
                    }
                }
            } finally {
                if (progress != null) {
                    progress.close();
                }
            }
        }
        if (expected >= 0 && received != expected) {
            throw new IOException("download of " + source.url() + " ended after " + received + " of " + expected
                    + " bytes");
        }
        String actual = HexFormat.of().formatHex(md5.digest());
        if (!actual.equals(source.md5())) {
            throw new IOException("MD5 mismatch for " + source.archiveName() + " downloaded from " + source.url()
                    + ": expected " + source.md5() + ", got " + actual + " (" + received + " bytes). The download "
                    + "is corrupt or the file on the server changed; it was deleted.");
        }
    }

    private static ProgressBar progressBar(DatasetSource source, long expectedBytes) {
        return new ProgressBarBuilder()
                .setTaskName(source.archiveName())
                .setInitialMax(expectedBytes) // -1: unknown length, drawn as an indefinite bar
                .setUnit("MB", 1_000_000)
                .showSpeed()
                .setUpdateIntervalMillis(500)
                .build();
    }

    private static void requireAbsentOrEmpty(Path target) throws IOException {
        if (!Files.exists(target)) {
            return;
        }
        boolean empty;
        try (Stream<Path> entries = Files.list(target)) {
            empty = entries.findAny().isEmpty();
        }
        if (!empty) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "exists but is incomplete; not overwriting it. Delete it to download the dataset again");
        }
    }

    /** Renames the unpacked folder to its final name in one step, so that it appears complete or not at all. */
    private static void moveIntoPlace(Path unpacked, Path target) throws IOException {
        if (Files.isDirectory(target)) {
            Files.delete(target); // empty, checked before the download; fails if someone filled it meanwhile
        }
        Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Best effort: called on the way out, where a failure must not hide the original one. */
    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // leave the hidden temporary directory behind
        }
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must support MD5", e);
        }
    }
}
