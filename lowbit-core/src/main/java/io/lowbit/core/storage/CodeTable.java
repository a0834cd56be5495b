package io.lowbit.core.storage;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * A layer's distinct weight codes as a table, and each weight as an index into it ({@code docs/storage.md}): what
 * plain codes take when they use few of their type's values — DoReFa's four 2-bit levels are the odd codes ±1, ±3
 * of an int3 type, two bits as indexes. Code 0, if present, is entry 0, so that index 0 is still a pruned weight for
 * the sparse encoding; the other entries follow in ascending order.
 *
 * @param levels the distinct codes, 0 first if present
 */
public record CodeTable(int[] levels) {

    public CodeTable {
        levels = levels.clone();
        if (levels.length == 0) {
            throw new IllegalArgumentException("a code table has at least one entry");
        }
    }

    /** The table of {@code codes}' distinct values. */
    public static CodeTable of(int[] codes) {
        TreeSet<Integer> distinct = new TreeSet<>();
        for (int c : codes) {
            distinct.add(c);
        }
        int[] levels = new int[Math.max(1, distinct.size())];
        int k = 0;
        if (distinct.remove(0) || distinct.isEmpty()) {
            levels[k++] = 0;
        }
        for (int c : distinct) {
            levels[k++] = c;
        }
        return new CodeTable(levels);
    }

    @Override
    public int[] levels() {
        return levels.clone();
    }

    /** Bits of an index: ⌈log2(entries)⌉, at least 1. */
    public int indexBits() {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(levels.length - 1));
    }

    /** Each code's index; throws on a code not in the table. */
    public int[] encode(int[] codes) {
        int[] sorted = levels.clone();
        Arrays.sort(sorted);
        int[] indexOfSorted = new int[sorted.length];
        for (int i = 0; i < levels.length; i++) {
            indexOfSorted[Arrays.binarySearch(sorted, levels[i])] = i;
        }
        int[] out = new int[codes.length];
        for (int i = 0; i < codes.length; i++) {
            int at = Arrays.binarySearch(sorted, codes[i]);
            if (at < 0) {
                throw new IllegalArgumentException("code " + codes[i] + " at " + i + " is not in the table");
            }
            out[i] = indexOfSorted[at];
        }
        return out;
    }

    /** The codes of {@code indexes}; throws on an index past the table. */
    public int[] decode(int[] indexes) {
        int[] out = new int[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            if (indexes[i] < 0 || indexes[i] >= levels.length) {
                throw new IllegalArgumentException("index " + indexes[i] + " at " + i + " is past the table's "
                        + levels.length + " entries");
            }
            out[i] = levels[indexes[i]];
        }
        return out;
    }
}
