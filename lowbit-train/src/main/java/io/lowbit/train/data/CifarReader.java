package io.lowbit.train.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads CIFAR-10 and CIFAR-100 binary files: a plain sequence of fixed-size records without header, each holding the
 * label byte(s) and 3,072 pixel bytes.
 *
 * <p>File sizes are checked before anything is allocated, so a truncated, foreign or hostile file fails fast with a
 * message naming it rather than with a half-read dataset or an out-of-memory error.
 */
public final class CifarReader {

    /**
     * Largest accepted file, in records: twice the 60,000 of the whole official dataset. It only bounds the allocation
     * a bad file can cause; real files hold 10,000 (CIFAR-10) or 50,000 (CIFAR-100 train.bin) records.
     */
    public static final int MAX_RECORDS_PER_FILE = 120_000;

    // Records per bulk read: 3 MB, large enough for full disk throughput, small enough to stay in cache.
    private static final int CHUNK_RECORDS = 1024;

    private CifarReader() {
    }

    /** Like {@link #read(List, DatasetName, LabelKind, List)} with the dataset's published class names. */
    public static LabeledImages read(List<Path> files, DatasetName name, LabelKind kind) throws IOException {
        return read(files, name, kind, ClassNames.defaults(name, kind));
    }

    /**
     * Reads and concatenates the records of {@code files}, in order.
     *
     * @param files      binary files in the format of {@code name}
     * @param name       dataset, which fixes the record layout and label ranges
     * @param kind       label to keep; {@link LabelKind#COARSE} only for CIFAR-100
     * @param classNames {@code name.numClasses(kind)} class names
     * @throws InvalidDatasetException if a file is empty, too large, not a whole number of records, or has a label
     *                                 out of range; the message names the file
     * @throws IOException             if a file cannot be read
     */
    public static LabeledImages read(List<Path> files, DatasetName name, LabelKind kind, List<String> classNames)
            throws IOException {
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(name, "name");
        name.requireSupported(kind);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no files to read");
        }
        int recordBytes = name.recordBytes();
        int[] recordsPerFile = new int[files.size()];
        long totalRecords = 0;
        for (int f = 0; f < files.size(); f++) {
            recordsPerFile[f] = countRecords(files.get(f), name);
            totalRecords += recordsPerFile[f];
            if (totalRecords * LabeledImages.IMAGE_BYTES > Integer.MAX_VALUE - 8) {
                throw new InvalidDatasetException(files.get(f), "together with the files before it, more than "
                        + (Integer.MAX_VALUE - 8) / LabeledImages.IMAGE_BYTES + " images; too many for one array");
            }
        }

        byte[] pixels = new byte[(int) totalRecords * LabeledImages.IMAGE_BYTES];
        int[] labels = new int[(int) totalRecords];
        byte[] chunk = new byte[Math.min(CHUNK_RECORDS, Math.max(1, (int) totalRecords)) * recordBytes];
        int labelOffset = name.labelOffset(kind);
        int image = 0;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                int recordInFile = 0;
                while (recordInFile < recordsPerFile[f]) {
                    int records = Math.min(CHUNK_RECORDS, recordsPerFile[f] - recordInFile);
                    readFully(channel, chunk, records * recordBytes, file);
                    for (int r = 0; r < records; r++, recordInFile++, image++) {
                        int start = r * recordBytes;
                        checkLabels(chunk, start, name, file, recordInFile);
                        labels[image] = Byte.toUnsignedInt(chunk[start + labelOffset]);
                        System.arraycopy(chunk, start + name.labelBytes(), pixels,
                                image * LabeledImages.IMAGE_BYTES, LabeledImages.IMAGE_BYTES);
                    }
                }
            }
        }
        return new LabeledImages(pixels, labels, name.numClasses(kind), classNames);
    }

    /** Number of records in {@code file}, after checking that its size is plausible. */
    private static int countRecords(Path file, DatasetName name) throws IOException {
        long size = Files.size(file);
        int recordBytes = name.recordBytes();
        String format = recordBytes + "-byte " + name.displayName() + " records";
        if (size == 0) {
            throw new InvalidDatasetException(file, "file is empty; expected a sequence of " + format);
        }
        if (size > (long) MAX_RECORDS_PER_FILE * recordBytes) {
            throw new InvalidDatasetException(file, "file has " + size + " bytes, more than the limit of "
                    + MAX_RECORDS_PER_FILE + " " + format + "; refusing to read it (is it a " + name.displayName()
                    + " binary file?)");
        }
        if (size % recordBytes != 0) {
            throw new InvalidDatasetException(file, "file has " + size + " bytes, which is not a whole number of "
                    + format + " (" + size / recordBytes + " records and " + size % recordBytes + " bytes left "
                    + "over); the file is probably truncated or not in " + name.displayName() + " binary format");
        }
        return (int) (size / recordBytes);
    }

    /** Checks every label byte of the record, not only the wanted one, to catch files of the wrong format early. */
    private static void checkLabels(byte[] chunk, int start, DatasetName name, Path file, int record)
            throws InvalidDatasetException {
        for (int offset = 0; offset < name.labelBytes(); offset++) {
            LabelKind kindHere = name.labelBytes() == 2 && offset == 0 ? LabelKind.COARSE : LabelKind.FINE;
            int label = Byte.toUnsignedInt(chunk[start + offset]);
            int numClasses = name.numClasses(kindHere);
            if (label >= numClasses) {
                String which = name == DatasetName.CIFAR100
                        ? kindHere.name().toLowerCase(Locale.ROOT) + " label"
                        : "label";
                throw new InvalidDatasetException(file, "record " + record + " has " + which + " " + label
                        + ", but " + name.displayName() + " " + which + "s are 0.." + (numClasses - 1));
            }
        }
    }

    private static void readFully(FileChannel channel, byte[] buffer, int length, Path file) throws IOException {
        ByteBuffer target = ByteBuffer.wrap(buffer, 0, length);
        while (target.hasRemaining()) {
            if (channel.read(target) < 0) {
                throw new InvalidDatasetException(file, "file ended early; it was shortened while being read");
            }
        }
    }
}
