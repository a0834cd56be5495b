package io.lowbit.accel.config;

/**
 * On-chip buffers (paper Fig. 5), in bytes. The two feature-map buffers swap input/output roles after every layer
 * (ping-pong), so each holds a whole feature map; the two weight banks let the DMA load the next layer's weights
 * while the current layer computes.
 *
 * @param featureMapBytes    size of each of the two feature-map buffers (channel-major, 32-bit words of 4 channels)
 * @param psumBytesPerModule partial-sum buffer of each conv module (accumulators of {@code accumulatorBits})
 * @param weightBankBytes    size of each of the two weight banks: weight indexes (or codes), codebook, bias and
 *                           requantization constants of one layer or weight tile
 */
public record BufferSizes(int featureMapBytes, int psumBytesPerModule, int weightBankBytes) {

    /** Bytes of one 36 Kb block RAM used as 32 Kb of data (7-series RAMB36E1 without parity). */
    public static final int BRAM36_DATA_BYTES = 4096;

    public BufferSizes {
        InvalidConfigException.inRange(featureMapBytes, 64, 1 << 28, "buffers.featureMapBytes");
        InvalidConfigException.inRange(psumBytesPerModule, 16, 1 << 26, "buffers.psumBytesPerModule");
        InvalidConfigException.inRange(weightBankBytes, 64, 1 << 26, "buffers.weightBankBytes");
    }

    /** All on-chip buffer bytes of a design with {@code modules} conv modules. */
    public long totalBytes(int modules) {
        return 2L * featureMapBytes + (long) modules * psumBytesPerModule + 2L * weightBankBytes;
    }

    /** RAMB36 blocks the buffers need, each buffer rounded up to whole blocks. */
    public int bram36Blocks(int modules) {
        return 2 * blocks(featureMapBytes) + modules * blocks(psumBytesPerModule) + 2 * blocks(weightBankBytes);
    }

    private static int blocks(int bytes) {
        return (bytes + BRAM36_DATA_BYTES - 1) / BRAM36_DATA_BYTES;
    }
}
