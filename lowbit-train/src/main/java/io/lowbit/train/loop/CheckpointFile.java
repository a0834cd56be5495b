package io.lowbit.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Reads and writes checkpoint files (format in {@code docs/checkpoints.md}): a magic, a version, JSON
 * metadata, named tensors in DJL's encoding, and a CRC-32 of everything before it. Writes go to a temporary
 * file that is flushed to disk and then atomically renamed, so a killed process leaves either the previous
 * checkpoint or the new one, never a half-written file. Reads verify the CRC before parsing and bound every
 * length by the bytes actually present.
 */
public final class CheckpointFile {

    static final byte[] MAGIC = "LOWBITCK".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    private static final long MAX_FILE_BYTES = 4L << 30;
    private static final int MAX_NAME_BYTES = 4096;

    private CheckpointFile() {
    }

    /** Metadata JSON and tensors of a checkpoint; tensors belong to the manager passed to {@link #read}. */
    public record Contents(String metadataJson, Map<String, NDArray> tensors) {
    }

    public static void write(Path file, String metadataJson, Map<String, NDArray> tensors) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(VERSION);
        byte[] meta = metadataJson.getBytes(StandardCharsets.UTF_8);
        out.writeInt(meta.length);
        out.write(meta);
        out.writeInt(tensors.size());
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            out.writeShort(name.length);
            out.write(name);
            byte[] data = e.getValue().encode();
            out.writeLong(data.length);
            out.write(data);
        }
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        writeAtomically(file, bytes.toByteArray());
    }

    /** Writes {@code data} to {@code file} through a synced temporary file and an atomic rename. */
    public static void writeAtomically(Path file, byte[] data) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public static Contents read(Path file, NDManager manager) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointFormatException(file, "no such file");
        }
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new CheckpointFormatException(file, "file of " + size + " bytes is larger than any checkpoint");
        }
        if (size < MAGIC.length + 4 + 4 + 4 + 8) {
            throw new CheckpointFormatException(file, "only " + size + " bytes: truncated or not a checkpoint");
        }
        byte[] all = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(all);
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new CheckpointFormatException(file, "not a lowbit checkpoint (bad magic)");
        }
        int version = in.getInt();
        if (version != VERSION) {
            throw new CheckpointFormatException(file, "format version " + version + ", this lowbit reads "
                    + VERSION);
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new CheckpointFormatException(file, "CRC mismatch: the file is truncated or corrupt");
        }
        int end = all.length - 8;
        try {
            int metaLen = in.getInt();
            checkLength(file, metaLen, end - in.position(), "metadata");
            String meta = new String(all, in.position(), metaLen, StandardCharsets.UTF_8);
            in.position(in.position() + metaLen);
            int count = in.getInt();
            if (count < 0 || count > (end - in.position()) / 10) {
                throw new CheckpointFormatException(file, "implausible tensor count " + count);
            }
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                int nameLen = in.getShort() & 0xFFFF;
                checkLength(file, Math.min(nameLen, MAX_NAME_BYTES + 1), end - in.position(), "tensor name");
                if (nameLen > MAX_NAME_BYTES) {
                    throw new CheckpointFormatException(file, "tensor name of " + nameLen + " bytes");
                }
                String name = new String(all, in.position(), nameLen, StandardCharsets.UTF_8);
                in.position(in.position() + nameLen);
                long dataLen = in.getLong();
                checkLength(file, dataLen, end - in.position(), "tensor " + name);
                byte[] data = new byte[(int) dataLen];
                in.get(data);
                tensors.put(name, NDArray.decode(manager, data));
            }
            if (in.position() != end) {
                throw new CheckpointFormatException(file, (end - in.position()) + " unexpected trailing bytes");
            }
            return new Contents(meta, tensors);
        } catch (java.nio.BufferUnderflowException e) {
            throw new CheckpointFormatException(file, "ends in the middle of a record");
        }
    }

    private static void checkLength(Path file, long length, long remaining, String what)
            throws CheckpointFormatException {
        if (length < 0 || length > remaining) {
            throw new CheckpointFormatException(file, what + " claims " + length + " bytes but only " + remaining
                    + " remain");
        }
    }
}
