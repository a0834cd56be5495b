package io.lowbit.train.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import com.sun.net.httpserver.HttpServer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Test data: the shared real CIFAR files, synthetic records and archives, and a local HTTP server. */
final class Fixtures {

    static final int CIFAR10_RECORD = 3073;
    static final int CIFAR100_RECORD = 3074;

    private Fixtures() {
    }

    /** The shared real CIFAR files; see {@link io.lowbit.train.TestData}. */
    static Path sharedData() {
        return io.lowbit.train.TestData.sharedData();
    }

    static Path miniFolder() {
        return sharedData().resolve("cifar-10-mini");
    }

    static Path cifar10Folder() {
        Path folder = sharedData().resolve("cifar-10-batches-bin");
        assumeTrue(Files.isRegularFile(folder.resolve("data_batch_5.bin")), "full CIFAR-10 not available");
        return folder;
    }

    /** CIFAR-10 records with the given labels and pseudo-random pixels. */
    static byte[] cifar10Records(int[] labels, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] out = new byte[labels.length * CIFAR10_RECORD];
        for (int i = 0; i < labels.length; i++) {
            out[i * CIFAR10_RECORD] = (byte) labels[i];
            fillRandom(random, out, i * CIFAR10_RECORD + 1, LabeledImages.IMAGE_BYTES);
        }
        return out;
    }

    /** CIFAR-100 records (coarse label, fine label, pixels) with pseudo-random pixels. */
    static byte[] cifar100Records(int[] coarse, int[] fine, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] out = new byte[fine.length * CIFAR100_RECORD];
        for (int i = 0; i < fine.length; i++) {
            out[i * CIFAR100_RECORD] = (byte) coarse[i];
            out[i * CIFAR100_RECORD + 1] = (byte) fine[i];
            fillRandom(random, out, i * CIFAR100_RECORD + 2, LabeledImages.IMAGE_BYTES);
        }
        return out;
    }

    /** The pixel bytes of every record, i.e. the file without its label bytes. */
    static byte[] pixelsOf(byte[] records, int recordBytes) {
        int n = records.length / recordBytes;
        int labelBytes = recordBytes - LabeledImages.IMAGE_BYTES;
        byte[] pixels = new byte[n * LabeledImages.IMAGE_BYTES];
        for (int i = 0; i < n; i++) {
            System.arraycopy(records, i * recordBytes + labelBytes, pixels, i * LabeledImages.IMAGE_BYTES,
                    LabeledImages.IMAGE_BYTES);
        }
        return pixels;
    }

    /** Random images with labels {@code i % numClasses}. */
    static LabeledImages randomImages(int n, int numClasses, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[n * LabeledImages.IMAGE_BYTES];
        fillRandom(random, pixels, 0, pixels.length);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % numClasses;
        }
        return new LabeledImages(pixels, labels, numClasses, classNames(numClasses));
    }

    static List<String> classNames(int n) {
        return Stream.iterate(0, i -> i + 1).limit(n).map(i -> "class" + i).toList();
    }

    static Path write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeLines(Path file, List<String> lines) {
        write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static String md5(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Everything below {@code dir}, relative to it, sorted; for "nothing left behind" checks. */
    static List<String> listRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    private static void fillRandom(SplittableRandom random, byte[] target, int from, int length) {
        for (int i = from; i < from + length; i++) {
            target[i] = (byte) random.nextInt(256);
        }
    }

    /** Builds a {@code .tar.gz} in memory, including entries a well-behaved archive would never contain. */
    static final class TarGz {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar;

        TarGz() {
            try {
                tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        TarGz directory(String name) {
            return add(new TarArchiveEntry(name.endsWith("/") ? name : name + "/"), null);
        }

        TarGz file(String name, byte[] content) {
            // preserveAbsolutePath: keep hostile names such as "/etc/x" as they are
            TarArchiveEntry entry = new TarArchiveEntry(name, true);
            entry.setSize(content.length);
            return add(entry, content);
        }

        TarGz symlink(String name, String linkTarget) {
            TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            entry.setLinkName(linkTarget);
            return add(entry, null);
        }

        byte[] build() {
            try {
                tar.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        private TarGz add(TarArchiveEntry entry, byte[] content) {
            try {
                tar.putArchiveEntry(entry);
                if (content != null) {
                    tar.write(content);
                }
                tar.closeArchiveEntry();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }
    }

    /** Serves one file over HTTP on the loopback interface; other paths get 404. */
    static final class ArchiveServer implements AutoCloseable {
        private final HttpServer server;
        private final AtomicInteger requests = new AtomicInteger();

        ArchiveServer(String name, byte[] content) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            server.createContext("/", exchange -> {
                requests.incrementAndGet();
                try (exchange) {
                    if (!exchange.getRequestURI().getPath().equals("/" + name)) {
                        exchange.sendResponseHeaders(404, -1);
                        return;
                    }
                    exchange.sendResponseHeaders(200, content.length);
                    try (OutputStream body = exchange.getResponseBody()) {
                        body.write(content);
                    }
                }
            });
            server.start();
        }

        URI uri(String name) {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name);
        }

        int requests() {
            return requests.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
