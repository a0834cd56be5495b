package io.lowbit.train.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks a {@code .tar.gz} archive defensively: only regular files and directories, all inside the target directory,
 * with bounded sizes. Archives come from the network, so a malicious or corrupt one must not be able to write outside
 * the target (path traversal, links) or fill the disk (decompression bombs).
 *
 * @param maxEntryBytes largest accepted file in the archive
 * @param maxTotalBytes largest accepted sum of all file sizes
 * @param maxEntries    largest accepted number of entries
 */
record TarGzExtractor(long maxEntryBytes, long maxTotalBytes, int maxEntries) {

    /** Generous for CIFAR (largest file: CIFAR-100 train.bin, 154 MB; total 185 MB), tiny for an attacker. */
    static final TarGzExtractor DEFAULT = new TarGzExtractor(512L << 20, 2L << 30, 10_000);

    TarGzExtractor {
        if (maxEntryBytes <= 0 || maxTotalBytes <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /**
     * Unpacks {@code archive} into the existing directory {@code target}.
     *
     * @throws InvalidDatasetException naming the archive if an entry is unsafe, too large or unsupported; files
     *                                 unpacked before that stay in {@code target}, which the caller discards
     */
    void extract(Path archive, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        long totalBytes = 0;
        int entries = 0;
        try (InputStream file = Files.newInputStream(archive);
                InputStream gzip = new GzipCompressorInputStream(new BufferedInputStream(file), true);
                TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (entry.isGlobalPaxHeader()) {
                    continue; // metadata for the following entries (e.g. from git archive), not a file
                }
                if (++entries > maxEntries) {
                    throw new InvalidDatasetException(archive, "more than " + maxEntries + " entries; refusing to "
                            + "unpack it");
                }
                Path destination = destination(archive, root, entry);
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                } else {
                    Files.createDirectories(destination.getParent());
                    long written = copyBounded(tar, destination, archive, entry);
                    totalBytes += written;
                    if (totalBytes > maxTotalBytes) {
                        throw new InvalidDatasetException(archive, "unpacks to more than " + maxTotalBytes
                                + " bytes; refusing to unpack it");
                    }
                }
            }
        }
    }

    /** Where an entry goes, after rejecting every kind of entry that could escape {@code root}. */
    private static Path destination(Path archive, Path root, TarArchiveEntry entry) throws InvalidDatasetException {
        String name = entry.getName();
        if (entry.isSymbolicLink() || entry.isLink()) {
            throw new InvalidDatasetException(archive, "entry '" + name + "' is a link (to '" + entry.getLinkName()
                    + "'); dataset archives must contain only files and directories");
        }
        if ((!entry.isDirectory() && !entry.isFile()) || entry.isCharacterDevice() || entry.isBlockDevice()
                || entry.isFIFO() || entry.isSparse()) {
            throw new InvalidDatasetException(archive, "entry '" + name + "' is not a plain file or directory");
        }
        Path destination;
        boolean absolute;
        try {
            absolute = Path.of(name).isAbsolute();
            destination = root.resolve(name).normalize();
        } catch (InvalidPathException e) {
            throw new InvalidDatasetException(archive, "entry '" + name + "' has an invalid name", e);
        }
        // The root itself is fine as a directory entry ("./"), never as a file.
        if (absolute || !destination.startsWith(root) || (destination.equals(root) && !entry.isDirectory())) {
            throw new InvalidDatasetException(archive, "entry '" + name + "' would be written outside the target "
                    + "directory " + root + "; refusing to unpack it");
        }
        return destination;
    }

    /** Copies the entry's data, counting real bytes because the size in the header may lie. */
    private long copyBounded(InputStream in, Path destination, Path archive, TarArchiveEntry entry)
            throws IOException {
        if (entry.getSize() > maxEntryBytes) {
            throw tooLarge(archive, entry);
        }
        byte[] buffer = new byte[64 * 1024];
        long written = 0;
        // CREATE_NEW: a duplicate entry must not silently replace an earlier file.
        try (OutputStream out = Files.newOutputStream(destination, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                written += n;
                if (written > maxEntryBytes) {
                    throw tooLarge(archive, entry);
                }
                out.write(buffer, 0, n);
            }
        } catch (FileAlreadyExistsException e) {
            throw new InvalidDatasetException(archive, "entry '" + entry.getName() + "' occurs twice", e);
        }
        return written;
    }

    private InvalidDatasetException tooLarge(Path archive, TarArchiveEntry entry) {
        return new InvalidDatasetException(archive, "entry '" + entry.getName() + "' is larger than the limit of "
                + maxEntryBytes + " bytes; refusing to unpack it");
    }
}
