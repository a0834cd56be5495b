/**
 * Exact integer and fixed-point arithmetic shared by every layer of lowbit: {@link
 * io.lowbit.core.arith.FixedPointFormat} (Qm.n), {@link io.lowbit.core.arith.Rounding} modes, and the
 * requantization and saturation primitives specified in {@code docs/integer-semantics.md}.
 */
package io.lowbit.core.arith;
