package io.lowbit.core.model.file;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A strict reader of a ZIP archive held in memory, written for hostile input: it trusts the central directory only
 * after checking it, cross-checks every local header, rejects overlapping entries, encryption, ZIP64, multi-disk
 * archives and duplicate names, and decompresses an entry only into a buffer of its declared size after the caller
 * has bounded that size — so nothing is allocated that the file's bytes and the caller's limits do not justify.
 * Supports STORED and DEFLATED entries.
 */
final class ZipArchive {

    private static final int LOCAL_SIG = 0x04034b50;
    private static final int CENTRAL_SIG = 0x02014b50;
    private static final int END_SIG = 0x06054b50;
    private static final int END_SIZE = 22;
    private static final int CENTRAL_SIZE = 46;
    private static final int LOCAL_SIZE = 30;
    private static final int STORED = 0;
    private static final int DEFLATED = 8;
    /** Deflate cannot expand data by more than 1032:1; a larger claim is a lie. */
    private static final long MAX_DEFLATE_RATIO = 1032;

    /** One central-directory entry, cross-checked with its local header. */
    record Entry(String name, int method, long crc, long compressedSize, long size, int localOffset, int dataOffset) {
    }

    private final byte[] bytes;
    private final ByteBuffer buf;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private ZipArchive(byte[] bytes) {
        this.bytes = bytes;
        this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static ZipArchive parse(byte[] bytes) throws ModelFormatException {
        ZipArchive z = new ZipArchive(bytes);
        z.parse();
        return z;
    }

    /** Entries in central-directory order. */
    List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    Entry entry(String name) {
        return entries.get(name);
    }

    private void parse() throws ModelFormatException {
        int end = findEnd();
        int disk = u16(end + 4);
        int cdDisk = u16(end + 6);
        int countHere = u16(end + 8);
        int count = u16(end + 10);
        long cdSize = u32(end + 12);
        long cdOffset = u32(end + 16);
        if (disk != 0 || cdDisk != 0 || countHere != count) {
            throw zip("multi-disk archives are not supported");
        }
        if (count == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
            throw zip("ZIP64 archives are not supported");
        }
        if (cdOffset + cdSize != end) {
            throw zip("central directory [" + cdOffset + ", +" + cdSize + ") does not end where the end record starts ("
                    + end + "): truncated or corrupt");
        }
        int p = (int) cdOffset;
        List<Entry> list = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            if (p + CENTRAL_SIZE > end || buf.getInt(p) != CENTRAL_SIG) {
                throw zip("central directory entry " + k + " at offset " + p + " is missing or corrupt");
            }
            int flags = u16(p + 8);
            int method = u16(p + 10);
            long crc = u32(p + 16);
            long csize = u32(p + 20);
            long size = u32(p + 24);
            int nameLen = u16(p + 28);
            int extraLen = u16(p + 30);
            int commentLen = u16(p + 32);
            long localOffset = u32(p + 42);
            int next = p + CENTRAL_SIZE + nameLen + extraLen + commentLen;
            if (next > end) {
                throw zip("central directory entry " + k + " runs past the directory");
            }
            String name = name(p + CENTRAL_SIZE, nameLen, k);
            if ((flags & 1) != 0) {
                throw zip("entry '" + name + "' is encrypted");
            }
            if (method != STORED && method != DEFLATED) {
                throw zip("entry '" + name + "' uses compression method " + method + "; only stored (0) and deflated"
                        + " (8) are supported");
            }
            if (method == STORED && csize != size) {
                throw zip("stored entry '" + name + "' has compressed size " + csize + " ≠ size " + size);
            }
            if (entries.containsKey(name)) {
                throw zip("duplicate entry '" + name + "'");
            }
            Entry e = local(name, flags, method, crc, csize, size, localOffset, cdOffset);
            entries.put(name, e);
            list.add(e);
            p = next;
        }
        if (p != end) {
            throw zip("central directory holds " + (end - p) + " bytes after its " + count + " entries");
        }
        list.sort(Comparator.comparingInt(Entry::localOffset));
        for (int k = 1; k < list.size(); k++) {
            Entry a = list.get(k - 1);
            if (a.dataOffset() + a.compressedSize() > list.get(k).localOffset()) {
                throw zip("entries '" + a.name() + "' and '" + list.get(k).name() + "' overlap");
            }
        }
    }

    /** Checks the local header of an entry against its central record; returns the entry with its data offset. */
    private Entry local(String name, int flags, int method, long crc, long csize, long size, long offset, long cdOffset)
            throws ModelFormatException {
        if (offset + LOCAL_SIZE > cdOffset || buf.getInt((int) offset) != LOCAL_SIG) {
            throw zip("local header of '" + name + "' at offset " + offset + " is missing or corrupt");
        }
        int o = (int) offset;
        int localFlags = u16(o + 6);
        int localMethod = u16(o + 8);
        int nameLen = u16(o + 26);
        int extraLen = u16(o + 28);
        long data = offset + LOCAL_SIZE + nameLen + extraLen;
        if (data > cdOffset) {
            throw zip("local header of '" + name + "' runs into the central directory");
        }
        String localName = name(o + LOCAL_SIZE, nameLen, -1);
        if (!localName.equals(name) || localMethod != method || (localFlags & 1) != 0) {
            throw zip("local header of '" + name + "' disagrees with the central directory (name '" + localName
                    + "', method " + localMethod + ")");
        }
        if ((localFlags & 8) == 0 && (u32(o + 14) != crc || u32(o + 18) != csize || u32(o + 22) != size)) {
            throw zip("local header of '" + name + "' disagrees with the central directory on CRC or sizes");
        }
        if (data + csize > cdOffset) {
            throw zip("data of '" + name + "' (" + csize + " bytes at " + data + ") runs into the central directory:"
                    + " truncated or corrupt");
        }
        if ((flags & 8) != (localFlags & 8)) {
            throw zip("local header of '" + name + "' disagrees with the central directory on flags");
        }
        return new Entry(name, method, crc, csize, size, o, (int) data);
    }

    /**
     * The uncompressed bytes of {@code e}, whose declared size the caller has already bounded. Decompression stops at
     * the declared size: more output, less output or a CRC mismatch is an error.
     */
    byte[] read(Entry e) throws ModelFormatException {
        if (e.size() > Integer.MAX_VALUE - 8) {
            throw ModelFormatException.inEntry(e.name(), "declared size " + e.size() + " is too large");
        }
        byte[] out;
        if (e.method() == STORED) {
            out = new byte[(int) e.size()];
            System.arraycopy(bytes, e.dataOffset(), out, 0, out.length);
        } else {
            if (e.size() > MAX_DEFLATE_RATIO * e.compressedSize() + 64) {
                throw ModelFormatException.inEntry(e.name(), "claims " + e.size() + " bytes from " + e.compressedSize()
                        + " compressed bytes, more than deflate can produce (zip bomb?)");
            }
            out = inflate(e);
        }
        CRC32 crc = new CRC32();
        crc.update(out);
        if (crc.getValue() != e.crc()) {
            throw ModelFormatException.inEntry(e.name(), "CRC-32 is " + Long.toHexString(crc.getValue())
                    + ", the archive says " + Long.toHexString(e.crc()) + ": corrupt");
        }
        return out;
    }

    private byte[] inflate(Entry e) throws ModelFormatException {
        byte[] out = new byte[(int) e.size()];
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(bytes, e.dataOffset(), (int) e.compressedSize());
            int n = 0;
            while (n < out.length) {
                int k = inf.inflate(out, n, out.length - n);
                if (k == 0) { // the inflater needs input or a dictionary, or has finished
                    throw ModelFormatException.inEntry(e.name(), "inflates to " + n + " bytes, fewer than its declared "
                            + e.size());
                }
                n += k;
            }
            if (!inf.finished()) {
                byte[] probe = new byte[1];
                if (inf.inflate(probe) > 0) {
                    throw ModelFormatException.inEntry(e.name(), "inflates beyond its declared size " + e.size()
                            + " (zip bomb?)");
                }
                if (!inf.finished()) {
                    throw ModelFormatException.inEntry(e.name(), "deflate stream does not end after " + e.size()
                            + " bytes");
                }
            }
            return out;
        } catch (DataFormatException ex) {
            throw ModelFormatException.inEntry(e.name(), "corrupt deflate data: " + ex.getMessage(), ex);
        } finally {
            inf.end();
        }
    }

    /** The end-of-central-directory record: the last signature whose comment length reaches exactly the file end. */
    private int findEnd() throws ModelFormatException {
        if (bytes.length < END_SIZE) {
            throw zip("file of " + bytes.length + " bytes is too short to be a ZIP archive");
        }
        int lowest = Math.max(0, bytes.length - END_SIZE - 0xFFFF);
        for (int p = bytes.length - END_SIZE; p >= lowest; p--) {
            if (buf.getInt(p) == END_SIG && p + END_SIZE + u16(p + 20) == bytes.length) {
                return p;
            }
        }
        throw zip("no end-of-central-directory record: not a ZIP archive, or truncated");
    }

    private String name(int offset, int length, int index) throws ModelFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw zip("entry name " + (index >= 0 ? "#" + index + " " : "") + "is not valid UTF-8");
        }
    }

    private int u16(int p) {
        return buf.getShort(p) & 0xFFFF;
    }

    private long u32(int p) {
        return buf.getInt(p) & 0xFFFFFFFFL;
    }

    private static ModelFormatException zip(String problem) {
        return new ModelFormatException("ZIP structure: " + problem);
    }

    /** Names of all entries, for messages. */
    List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(entries.keySet()));
    }
}
