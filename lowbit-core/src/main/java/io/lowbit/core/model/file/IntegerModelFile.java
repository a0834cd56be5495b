package io.lowbit.core.model.file;

import com.fasterxml.jackson.databind.JsonNode;
import io.lowbit.core.model.IntegerModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The integer model file, {@code .lbq} ({@code docs/integer-model-format.md}): a ZIP archive holding
 * {@code model.json} (format {@value ModelJson#FORMAT}, version {@value ModelJson#VERSION}) and one NumPy {@code .npy}
 * file per tensor under {@code tensors/}.
 *
 * <p>The writer is deterministic: stored (uncompressed) entries in a fixed order with a fixed timestamp, so the same
 * model always gives the same bytes. The reader trusts nothing: it bounds every allocation by the file's size, the
 * shapes in {@code model.json} and {@link ReadLimits}, verifies CRC-32, SHA-256 and the model fingerprint, and
 * validates the graph; every problem is a {@link ModelFormatException} naming the file, the entry and the problem.
 */
public final class IntegerModelFile {

    public static final String FORMAT = ModelJson.FORMAT;
    public static final int FORMAT_VERSION = ModelJson.VERSION;
    public static final String EXTENSION = ".lbq";

    /**
     * Timestamp of every entry, written as a plain DOS date-time (no time zone, no extra field). Not 1980-01-01 00:00:
     * java.util.zip treats that value as "before 1980" and adds a time-zone-dependent extended-timestamp field.
     */
    static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);
    private static final String DIRECTORY_ENTRY = ModelJson.TENSOR_DIR;
    /** An npy v1.0 header is at most 10 + 65 535 bytes. */
    private static final long MAX_NPY_HEADER = 10 + 0xFFFF;

    private IntegerModelFile() {
    }

    /** Writes {@code model} to {@code file} (replacing it). */
    public static void write(IntegerModel model, Path file) throws IOException {
        Files.write(file, toBytes(model));
    }

    /** The file's bytes; equal models give identical bytes. */
    public static byte[] toBytes(IntegerModel model) {
        ModelJson.Encoded enc = ModelJson.encode(model);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            putStored(zip, ModelJson.MODEL_ENTRY, enc.json());
            for (ModelJson.StoredTensor t : enc.tensors()) {
                putStored(zip, t.ref().file(), t.npy());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory streams do not fail
        }
        return bytes.toByteArray();
    }

    private static void putStored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        e.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    /** Reads and validates the model in {@code file} under {@link ReadLimits#DEFAULT}. */
    public static IntegerModel read(Path file) throws IOException {
        return read(file, ReadLimits.DEFAULT);
    }

    public static IntegerModel read(Path file, ReadLimits limits) throws IOException {
        String name = file.toString();
        long size = Files.size(file);
        if (size > limits.maxFileBytes()) {
            throw new ModelFormatException(name + ": file of " + size + " bytes exceeds the limit of "
                    + limits.maxFileBytes());
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) limits.maxFileBytes() + 1);
        }
        return fromBytes(bytes, name, limits);
    }

    /** Reads a model from the bytes of a file; {@code fileName} is used in messages. */
    public static IntegerModel fromBytes(byte[] bytes, String fileName) throws ModelFormatException {
        return fromBytes(bytes, fileName, ReadLimits.DEFAULT);
    }

    public static IntegerModel fromBytes(byte[] bytes, String fileName, ReadLimits limits)
            throws ModelFormatException {
        try {
            return decode(bytes, limits);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(fileName + ": " + e.getMessage(), e);
        }
    }

    private static IntegerModel decode(byte[] bytes, ReadLimits limits) throws ModelFormatException {
        if (bytes.length > limits.maxFileBytes()) {
            throw new ModelFormatException("file of " + bytes.length + " bytes exceeds the limit of "
                    + limits.maxFileBytes());
        }
        ZipArchive zip = ZipArchive.parse(bytes);
        ZipArchive.Entry jsonEntry = zip.entry(ModelJson.MODEL_ENTRY);
        if (jsonEntry == null) {
            throw ModelFormatException.inEntry(ModelJson.MODEL_ENTRY, "is missing (entries: " + zip.names() + ")");
        }
        if (jsonEntry.size() > limits.maxJsonBytes()) {
            throw ModelFormatException.inEntry(ModelJson.MODEL_ENTRY, "declares " + jsonEntry.size()
                    + " bytes, more than the limit of " + limits.maxJsonBytes());
        }
        JsonNode root = ModelJson.parse(zip.read(jsonEntry), limits);
        List<ModelJson.TensorRef> table = ModelJson.header(root);
        requireEntries(zip, table);
        long total = 0;
        for (ModelJson.TensorRef t : table) {
            if (t.dataBytes() > limits.maxTensorBytes()) {
                throw ModelFormatException.inEntry(t.file(), "shape " + t.shape() + " of " + t.dtype().numpyName()
                        + " needs " + t.dataBytes() + " bytes, more than the per-tensor limit of "
                        + limits.maxTensorBytes());
            }
            total += t.dataBytes();
            if (total > limits.maxTotalTensorBytes()) {
                throw ModelFormatException.inEntry(t.file(), "tensors need more than the limit of "
                        + limits.maxTotalTensorBytes() + " bytes in all");
            }
        }
        Map<String, int[]> data = new HashMap<>();
        for (ModelJson.TensorRef t : table) {
            data.put(t.name(), readTensor(zip, t));
        }
        return ModelJson.model(root, table, data, limits);
    }

    /** Exactly {@code model.json} and the listed tensor files (plus, optionally, an empty {@code tensors/} entry). */
    private static void requireEntries(ZipArchive zip, List<ModelJson.TensorRef> table) throws ModelFormatException {
        Set<String> expected = new HashSet<>();
        expected.add(ModelJson.MODEL_ENTRY);
        for (ModelJson.TensorRef t : table) {
            expected.add(t.file());
        }
        for (ZipArchive.Entry e : zip.entries()) {
            boolean directory = e.name().equals(DIRECTORY_ENTRY) && e.size() == 0;
            if (!expected.contains(e.name()) && !directory) {
                throw ModelFormatException.inEntry(e.name(), "is not part of the format (model.json lists no such"
                        + " tensor)");
            }
        }
        for (ModelJson.TensorRef t : table) {
            if (zip.entry(t.file()) == null) {
                throw ModelFormatException.inEntry(t.file(), "is missing (listed in model.json as tensor '" + t.name()
                        + "')");
            }
        }
    }

    private static int[] readTensor(ZipArchive zip, ModelJson.TensorRef t) throws ModelFormatException {
        ZipArchive.Entry e = zip.entry(t.file());
        long data = t.dataBytes();
        if (e.size() <= data + 10 || e.size() > data + MAX_NPY_HEADER) {
            throw ModelFormatException.inEntry(t.file(), "declares " + e.size() + " bytes, but shape " + t.shape()
                    + " of " + t.dtype().numpyName() + " needs " + data + " data bytes plus an npy header of at most "
                    + MAX_NPY_HEADER + " bytes");
        }
        byte[] npy = zip.read(e);
        String sha = ModelJson.sha256(npy);
        if (!sha.equals(t.sha256())) {
            throw ModelFormatException.inEntry(t.file(), "SHA-256 is " + sha + ", model.json says " + t.sha256());
        }
        Npy.Header h;
        try {
            h = Npy.readHeader(npy);
        } catch (ModelFormatException ex) {
            throw ModelFormatException.inEntry(t.file(), ex.getMessage(), ex);
        }
        if (h.dtype() != t.dtype() || !h.shape().equals(t.shape())) {
            throw ModelFormatException.inEntry(t.file(), "npy header says " + h.dtype().numpyName() + " " + h.shape()
                    + ", model.json says " + t.dtype().numpyName() + " " + t.shape());
        }
        try {
            return Npy.readInts(npy, h);
        } catch (ModelFormatException ex) {
            throw ModelFormatException.inEntry(t.file(), ex.getMessage(), ex);
        }
    }
}
