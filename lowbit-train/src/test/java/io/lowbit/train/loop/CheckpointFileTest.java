package io.lowbit.train.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {

    @TempDir
    Path dir;

    private Path writeSample(NDManager m) throws IOException {
        Map<String, NDArray> t = new LinkedHashMap<>();
        t.put("param/a", m.arange(12f).reshape(3, 4));
        t.put("opt/a#0", m.ones(new Shape(3, 4)));
        Path f = dir.resolve("x.lbck");
        CheckpointFile.write(f, "{\"k\":1}", t);
        return f;
    }

    @Test
    void roundTrip() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Path f = writeSample(m);
            CheckpointFile.Contents c = CheckpointFile.read(f, m);
            assertEquals("{\"k\":1}", c.metadataJson());
            assertEquals(new Shape(3, 4), c.tensors().get("param/a").getShape());
            assertArrayEquals(m.arange(12f).toFloatArray(), c.tensors().get("param/a").toFloatArray());
            assertFalse(Files.exists(dir.resolve("x.lbck.tmp")), "temporary file left behind");
        }
    }

    @Test
    void everyTruncationIsRejectedWithAClearMessage() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            byte[] all = Files.readAllBytes(writeSample(m));
            for (int len : new int[] {0, 7, 20, all.length / 2, all.length - 1}) {
                Path t = dir.resolve("trunc" + len + ".lbck");
                Files.write(t, Arrays.copyOf(all, len));
                CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                        () -> CheckpointFile.read(t, m));
                assertTrue(e.getMessage().contains(t.toString()), e.getMessage());
            }
        }
    }

    @Test
    void bitFlipsAreCaughtByTheCrc() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            byte[] all = Files.readAllBytes(writeSample(m));
            for (int pos = 12; pos < all.length - 8; pos += 37) {
                byte[] bad = all.clone();
                bad[pos] ^= 0x10;
                Path t = dir.resolve("flip.lbck");
                Files.write(t, bad);
                CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                        () -> CheckpointFile.read(t, m));
                assertTrue(e.getMessage().contains("CRC"), e.getMessage());
            }
        }
    }

    @Test
    void hostileLengthsWithAValidCrcDoNotAllocate() throws IOException {
        // A forged file whose CRC is right but whose metadata length claims 2 GiB.
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + 4 + 4 + 8);
        b.put(CheckpointFile.MAGIC).putInt(CheckpointFile.VERSION).putInt(Integer.MAX_VALUE).putInt(0);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, 20);
        b.putLong(crc.getValue());
        Path f = dir.resolve("forged.lbck");
        Files.write(f, b.array());
        try (NDManager m = NDManager.newBaseManager()) {
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                    () -> CheckpointFile.read(f, m));
            assertTrue(e.getMessage().contains("metadata claims"), e.getMessage());
        }
    }

    @Test
    void otherFilesAndVersionsAreNamed() throws IOException {
        Path f = dir.resolve("notes.txt");
        Files.writeString(f, "this is not a checkpoint at all, but it is long enough");
        try (NDManager m = NDManager.newBaseManager()) {
            assertTrue(assertThrows(CheckpointFormatException.class, () -> CheckpointFile.read(f, m))
                    .getMessage().contains("bad magic"));
            byte[] all = Files.readAllBytes(writeSample(m));
            ByteBuffer.wrap(all).putInt(8, 99);
            Path v = dir.resolve("v99.lbck");
            Files.write(v, all);
            assertTrue(assertThrows(CheckpointFormatException.class, () -> CheckpointFile.read(v, m))
                    .getMessage().contains("version 99"));
        }
    }
}
