package io.lowbit.accel.config;

/**
 * On-chip buffers (paper Fig. 5), in bytes. The two feature-map buffers swap input/output roles after every layer
 * (ping-pong): buffer 0 holds the network input and the outputs of the 2nd, 4th, … layer, buffer 1 the outputs of
 * the 1st, 3rd, … layer; a map larger than its buffer lives in DRAM (row tiles staged through half of the buffer,
 * docs/accelerator.md §2). The two weight banks let the DMA load the next layer's weights while the current layer
 * computes.
 *
 * @param featureMapBytes    size of feature-map buffer 0, and of buffer 1 unless {@code featureMapBytes1} is given
 *                           (channel-major, 32-bit words of 4 channels)
 * @param psumBytesPerModule partial-sum buffer of each conv module (accumulators of {@code accumulatorBits})
 * @param weightBankBytes    size of each of the two weight banks: weight indexes (or codes), codebook, bias and
 *                           requantization constants of one layer or weight tile
 * @param featureMapBytes1   size of feature-map buffer 1; 0 (or absent in JSON): {@code featureMapBytes}, two equal
 *                           buffers. Unequal buffers let a network whose largest maps all fall into one buffer keep
 *                           the other one small (NIN on {@code pynq-z2-clipq}: its 192×32×32 maps are the outputs of
 *                           its 1st and 3rd layers)
 */
public record BufferSizes(int featureMapBytes, int psumBytesPerModule, int weightBankBytes, int featureMapBytes1) {

    /** Two feature-map buffers of {@code featureMapBytes} each. */
    public BufferSizes(int featureMapBytes, int psumBytesPerModule, int weightBankBytes) {
        this(featureMapBytes, psumBytesPerModule, weightBankBytes, 0);
    }

    /** Bytes of one 36 Kb block RAM used as 32 Kb of data (7-series RAMB36E1 without parity). */
    public static final int BRAM36_DATA_BYTES = 4096;

    public BufferSizes {
        InvalidConfigException.inRange(featureMapBytes, 64, 1 << 28, "buffers.featureMapBytes");
        InvalidConfigException.inRange(psumBytesPerModule, 16, 1 << 26, "buffers.psumBytesPerModule");
        InvalidConfigException.inRange(weightBankBytes, 64, 1 << 26, "buffers.weightBankBytes");
        if (featureMapBytes1 == 0) {
            featureMapBytes1 = featureMapBytes;
        }
        InvalidConfigException.inRange(featureMapBytes1, 64, 1 << 28, "buffers.featureMapBytes1");
    }

    /** Bytes of feature-map buffer {@code buffer} (0 or 1). */
    public int featureMapBytes(int buffer) {
        return buffer % 2 == 0 ? featureMapBytes : featureMapBytes1;
    }

    /** All on-chip buffer bytes of a design with {@code modules} conv modules. */
    public long totalBytes(int modules) {
        return (long) featureMapBytes + featureMapBytes1 + (long) modules * psumBytesPerModule
                + 2L * weightBankBytes;
    }

    /** RAMB36 blocks the buffers need, each buffer rounded up to whole blocks. */
    public int bram36Blocks(int modules) {
        return blocks(featureMapBytes) + blocks(featureMapBytes1) + modules * blocks(psumBytesPerModule)
                + 2 * blocks(weightBankBytes);
    }

    private static int blocks(int bytes) {
        return (bytes + BRAM36_DATA_BYTES - 1) / BRAM36_DATA_BYTES;
    }
}
