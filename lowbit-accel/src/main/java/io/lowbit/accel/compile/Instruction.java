package io.lowbit.accel.compile;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One step of a {@link Program} ({@code docs/accelerator.md} §3). DMA instructions run on the DMA engine, compute
 * instructions on the conv unit or the pool unit; the controller issues them in program order and each waits only for
 * the resources and data it needs (a DMA may run ahead into a free weight bank while the conv unit computes).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Instruction.LoadInput.class, name = "load_input"),
    @JsonSubTypes.Type(value = Instruction.LoadWeights.class, name = "load_weights"),
    @JsonSubTypes.Type(value = Instruction.ConvPass.class, name = "conv_pass"),
    @JsonSubTypes.Type(value = Instruction.PoolPass.class, name = "pool_pass"),
    @JsonSubTypes.Type(value = Instruction.LoadRows.class, name = "load_rows"),
    @JsonSubTypes.Type(value = Instruction.StoreRows.class, name = "store_rows"),
    @JsonSubTypes.Type(value = Instruction.SwapBuffers.class, name = "swap_buffers"),
    @JsonSubTypes.Type(value = Instruction.StoreOutput.class, name = "store_output")})
public sealed interface Instruction {

    /** DMA: the (host-quantized) input image from DRAM into feature-map buffer 0. */
    record LoadInput(long bytes) implements Instruction {
    }

    /**
     * DMA: weights (indexes or codes), codebook, bias and requantization constants of output channels
     * {@code [outStart, outStart + outCount)} of {@code layer} into weight bank {@code bank}.
     */
    record LoadWeights(String layer, int tile, int bank, int outStart, int outCount, long bytes)
            implements Instruction {
    }

    /**
     * Conv unit: stream output rows {@code [rowStart, rowStart + rows)} of input channels {@code [inStart, inStart +
     * inCount)} (one per RCA) through the kernels of output channels {@code [outStart, outStart + outCount)} (Po
     * modules × slots), taps of kernel chunk {@code chunk}; {@code first}: initialize the partial sums with the bias,
     * {@code last}: requantize them and write the output codes. Channels are absolute; {@code group} is the
     * convolution group the channels belong to; {@code inputSlot} is the input-buffer half holding the rows of a
     * DRAM-resident input ({@link LoadRows}), −1 when the whole input is on chip.
     */
    record ConvPass(String layer, int bank, int group, int outStart, int outCount, int inStart, int inCount, int chunk,
            int rowStart, int rows, boolean first, boolean last, int inputSlot) implements Instruction {
    }

    /**
     * DMA, for a layer whose input feature map is too large for a buffer and lives in DRAM: the input rows (halo
     * included) of row tile {@code job} into half {@code slot} of the input buffer, fetched while the previous tile
     * computes.
     */
    record LoadRows(String layer, int job, int slot, int rowStart, int rows, long bytes) implements Instruction {
    }

    /** DMA, for a layer whose output is too large for a buffer: the finished output rows of row tile {@code job}. */
    record StoreRows(String layer, int job, int rowStart, int rows, long bytes) implements Instruction {
    }

    /** Pool unit: max or average pool of the whole feature map of {@code layer}. */
    record PoolPass(String layer) implements Instruction {
    }

    /** The output feature-map buffer of {@code layer} becomes the next layer's input (ping-pong, paper §1.5). */
    record SwapBuffers(String layer) implements Instruction {
    }

    /** DMA: the network output from the output feature-map buffer to DRAM. */
    record StoreOutput(long bytes) implements Instruction {
    }
}
