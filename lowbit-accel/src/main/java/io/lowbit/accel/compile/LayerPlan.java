package io.lowbit.accel.compile;

import io.lowbit.core.model.Shape;
import io.lowbit.core.model.Window;

/**
 * What the compiler decided for one layer: its geometry as the conv or pool unit sees it, the RCA mapping, the row
 * tile (partial sums of {@code slots × tileRows × outW} per module must fit the psum buffer) and the weight tiles
 * (each fits one weight bank).
 *
 * @param layer       node id
 * @param kind        {@code conv2d}, {@code linear}, {@code max_pool} or {@code avg_pool}
 * @param input       {@code (C, H, W)} as streamed (a linear layer's input is its feature map, or {@code (F, 1, 1)})
 * @param output      {@code (C, H, W)}
 * @param window      kernel, stride and padding (a linear layer: the whole map, stride 1, no padding)
 * @param groups      convolution groups (1 for linear and pools)
 * @param mapping     RCA mapping, {@code null} for pools
 * @param tileRows    output rows per row tile ({@code H_out} when untiled)
 * @param weightTiles number of weight loads ({@code 0} for pools)
 * @param weightBytes DRAM bytes of the layer's weights, codebook, bias and requantization constants
 * @param macs        multiply-accumulates of the layer, padding included ({@code C_out·C_in/G·kH·kW·H_out·W_out})
 * @param inputBytes  bytes of the input feature map in the buffer
 * @param outputBytes bytes of the output feature map in the buffer
 * @param inputInDram  the input map is larger than a feature-map buffer: it lives in DRAM, loaded by row tiles
 * @param outputInDram the output map is larger than a buffer: row tiles are stored to DRAM as they finish
 */
public record LayerPlan(String layer, String kind, Shape input, Shape output, Window window, int groups,
        RcaMapping mapping, int tileRows, int weightTiles, long weightBytes, long macs, long inputBytes,
        long outputBytes, boolean inputInDram, boolean outputInDram) {

    public boolean isConv() {
        return mapping != null;
    }

    /** Row tiles of the output. */
    public int rowTiles() {
        return (output.height() + tileRows - 1) / tileRows;
    }
}
