/**
 * Exact integer arithmetic shared by the integer engine, the accelerator simulator and the generated RTL, each class
 * implementing one section of {@code docs/integer-semantics.md}.
 *
 * <ul>
 *   <li>types: {@link io.lowbit.core.arith.IntType}, {@link io.lowbit.core.arith.QuantizedType},
 *       {@link io.lowbit.core.arith.FixedPointFormat} (Qm.n), {@link io.lowbit.core.arith.PixelNormalization} (§1–§3);</li>
 *   <li>rounding and saturation: {@link io.lowbit.core.arith.Rounding}, {@link io.lowbit.core.arith.RoundingShift},
 *       {@link io.lowbit.core.arith.Saturation}, {@link io.lowbit.core.arith.OutputClamp} (§6, §10);</li>
 *   <li>requantization: {@link io.lowbit.core.arith.FixedPointMultiplier}, {@link io.lowbit.core.arith.Requantizer},
 *       {@link io.lowbit.core.arith.ShiftRequantizer} (§7–§9);</li>
 *   <li>layers: {@link io.lowbit.core.arith.AccumulatorBound}, {@link io.lowbit.core.arith.AveragePool},
 *       {@link io.lowbit.core.arith.ResidualAdd} (§5, §12, §13).</li>
 * </ul>
 */
package io.lowbit.core.arith;
