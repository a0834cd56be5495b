package io.lowbit.core.model.file;

/**
 * Upper bounds the {@code .lbq} reader enforces before it allocates anything, so a corrupt or hostile file cannot
 * exhaust memory. On top of these, every tensor entry's size must equal what its shape in {@code model.json}
 * justifies, and a compressed entry may not claim more than deflate can expand its bytes to.
 *
 * @param maxFileBytes        largest file accepted
 * @param maxJsonBytes        largest {@code model.json}
 * @param maxJsonDepth        deepest nesting of JSON arrays and objects
 * @param maxTensorBytes      largest single tensor's data
 * @param maxTotalTensorBytes largest sum of all tensors' data
 * @param maxNodes            most nodes in the graph
 */
public record ReadLimits(long maxFileBytes, int maxJsonBytes, int maxJsonDepth, long maxTensorBytes,
        long maxTotalTensorBytes, int maxNodes) {

    /** 1 GiB files, 16 MiB JSON, depth 32, 512 MiB per tensor, 1 GiB in all, 100 000 nodes. */
    public static final ReadLimits DEFAULT = new ReadLimits(1L << 30, 16 << 20, 32, 512L << 20, 1L << 30, 100_000);

    public ReadLimits {
        if (maxFileBytes < 1 || maxFileBytes > Integer.MAX_VALUE - 8 || maxJsonBytes < 1 || maxJsonDepth < 4
                || maxTensorBytes < 1 || maxTotalTensorBytes < 1 || maxNodes < 1) {
            throw new IllegalArgumentException("read limits must be positive (file ≤ 2 GiB, JSON depth ≥ 4): " + this);
        }
    }
}
