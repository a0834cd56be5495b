package io.lowbit.accel.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a PE forms its product ({@code docs/accelerator.md} §7).
 * <ul>
 *   <li>{@code MULTIPLIER} (the paper, Fig. 6–7): every PE decodes its weight (codebook: a {@code 2^b:1} mux of the
 *       layer's levels) and multiplies the broadcast input by it: {@code Po·Pi·PES} multipliers.</li>
 *   <li>{@code CODEBOOK_SELECT} (lowbit): a layer's weights take only {@code 2^b} values and an RCA broadcasts one
 *       input to all its PEs, so the {@code 2^b} products {@code x·level} are formed once per input and each PE
 *       selects one by its index: {@code Pi·2^b} multipliers for the whole unit. Needs a codebook decoder.</li>
 * </ul>
 * Both give the same products, so the same outputs and cycles; they differ in resources only.
 */
public enum PeStyle {
    @JsonProperty("multiplier") MULTIPLIER,
    @JsonProperty("codebook-select") CODEBOOK_SELECT
}
