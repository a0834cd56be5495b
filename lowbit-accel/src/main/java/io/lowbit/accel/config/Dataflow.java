package io.lowbit.accel.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How an RCA's chained PEs see the input ({@code docs/accelerator.md} §2).
 * <ul>
 *   <li>{@code STRIP} (the paper): the chain is a transposed FIR over a {@code kW}-wide column strip streamed row by
 *       row; the window moves down one row per {@code kW} pixels, so a kernel yields one output every {@code kW}
 *       cycles and every input pixel is streamed once per strip it belongs to.</li>
 *   <li>{@code LINE_BUFFER} (lowbit's extension): the chain's kernel rows are joined by partial-sum line buffers
 *       of the padded row width, so whole rows stream once and a kernel yields one output per cycle (the classic
 *       line-buffer 2-D convolution); costs {@code (kH − 1)·W} accumulators per kernel slot.</li>
 * </ul>
 */
public enum Dataflow {
    @JsonProperty("strip") STRIP,
    @JsonProperty("line-buffer") LINE_BUFFER
}
