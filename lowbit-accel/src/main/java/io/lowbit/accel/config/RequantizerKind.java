package io.lowbit.accel.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The requantization unit after the accumulator ({@code docs/integer-semantics.md} §8, §9). {@code SHIFT}: rounding
 * right shift, clamp (ReLU) and saturation, as the CLIP-Q hardware; it runs layers whose output stage is a shift.
 * {@code MULTIPLIER}: per-channel int32 multiplier {@code M0} and shift (Jacob et al.), which also runs shift stages.
 */
public enum RequantizerKind {
    @JsonProperty("shift") SHIFT,
    @JsonProperty("multiplier") MULTIPLIER
}
