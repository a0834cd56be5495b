/**
 * Quantization-aware training: which layer gets which quantizer, and the methods on a power-of-two grid.
 *
 * <ul>
 *   <li>The spec: {@link io.lowbit.train.quant.QuantSpec} (a default {@link io.lowbit.train.quant.QuantScheme}
 *       with per-layer, {@code first} and {@code last} overrides, from one string or a file) and
 *       {@link io.lowbit.train.quant.QuantPlan}, which installs each layer's weight quantizer and an activation
 *       quantizer at the producer of every tensor the integer model stores.</li>
 *   <li>The methods: {@link io.lowbit.train.quant.QuantMethod}, registered by spec name in
 *       {@link io.lowbit.train.quant.QuantMethods}; {@code fixed} (Qm.n,
 *       {@link io.lowbit.train.quant.FixedPointMethod}) lives here, {@code clipq} in {@code quant.clipq},
 *       the learned-scale methods ({@code lsq}, {@code pact}, {@code dorefa}, {@code lsfq}) in
 *       {@code quant.learned}.</li>
 *   <li>Power-of-two grids shared by {@code fixed} and {@code clipq}: {@link io.lowbit.train.quant.WeightExponent}
 *       (the per-layer weight scale 2^−k), {@link io.lowbit.train.quant.AccumulatorGridBias} (the bias on the
 *       accumulator grid, as export stores it) and {@link io.lowbit.train.quant.Ste} (straight-through
 *       estimators as DJL expressions, since DJL has no custom autograd in Java).</li>
 * </ul>
 *
 * <p>Formulas, gradients, initialization and the spec grammar: {@code docs/quantization.md}; what export makes of
 * each method: {@code docs/export.md}.
 */
package io.lowbit.train.quant;
