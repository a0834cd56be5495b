package io.lowbit.core.model.file;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A hand-rolled ZIP writer for tests that can lie: any method, declared size or CRC, duplicate names. Independent of
 * java.util.zip's writer and of the production reader.
 */
final class ZipBytes {

    /** One entry; {@code declaredSize}/{@code crc} of −1 mean "the true value". */
    record Item(String name, byte[] data, boolean deflate, long declaredSize, long crc) {

        static Item of(String name, byte[] data) {
            return new Item(name, data, false, -1, -1);
        }

        static Item deflated(String name, byte[] data) {
            return new Item(name, data, true, -1, -1);
        }
    }

    private ZipBytes() {
    }

    static byte[] write(List<Item> items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        for (Item it : items) {
            byte[] name = it.name().getBytes(StandardCharsets.UTF_8);
            byte[] stored = it.deflate() ? deflate(it.data()) : it.data();
            CRC32 c = new CRC32();
            c.update(it.data());
            long crc = it.crc() >= 0 ? it.crc() : c.getValue();
            long size = it.declaredSize() >= 0 ? it.declaredSize() : it.data().length;
            int method = it.deflate() ? 8 : 0;
            int offset = out.size();
            ByteBuffer local = le(30 + name.length);
            local.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x800).putShort((short) method)
                    .putShort((short) 0).putShort((short) 0x21).putInt((int) crc).putInt(stored.length)
                    .putInt((int) size).putShort((short) name.length).putShort((short) 0).put(name);
            out.writeBytes(local.array());
            out.writeBytes(stored);
            ByteBuffer cd = le(46 + name.length);
            cd.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0x800)
                    .putShort((short) method).putShort((short) 0).putShort((short) 0x21).putInt((int) crc)
                    .putInt(stored.length).putInt((int) size).putShort((short) name.length).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0).putInt(offset).put(name);
            central.writeBytes(cd.array());
        }
        int cdOffset = out.size();
        out.writeBytes(central.toByteArray());
        ByteBuffer end = le(22);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) items.size())
                .putShort((short) items.size()).putInt(central.size()).putInt(cdOffset).putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }

    /** The entries of a well-formed archive, in order (read with java.util.zip). */
    static Map<String, byte[]> entries(byte[] zip) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                out.put(e.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Stored entries of {@code entries}, in order. */
    static byte[] write(Map<String, byte[]> entries) {
        List<Item> items = new ArrayList<>();
        entries.forEach((n, d) -> items.add(Item.of(n, d)));
        return write(items);
    }

    static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
