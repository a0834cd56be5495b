/**
 * Uniform-grid quantizers with learned (or fixed) clipping, all exportable to the integer semantics
 * ({@code docs/integer-semantics.md} §1: symmetric signed weights with zero-point 0, unsigned activations after
 * ReLU, per-tensor or per-output-channel scales). Each method is a {@link io.lowbit.train.quant.QuantMethod}
 * registered in {@link io.lowbit.train.quant.QuantMethods}:
 *
 * <ul>
 *   <li>{@link io.lowbit.train.quant.learned.LsqMethod} {@code lsq}: learned step size (Esser et al. 2020);</li>
 *   <li>{@link io.lowbit.train.quant.learned.PactMethod} {@code pact}: learned activation clip α (Choi et al.
 *       2018) with DoReFa-style weights;</li>
 *   <li>{@link io.lowbit.train.quant.learned.DorefaMethod} {@code dorefa}: DoReFa (Zhou et al. 2016) in the
 *       symmetric form UltraNet uses; both train on BN-folded weights with DoReFa's codes and the scale kept
 *       ({@link io.lowbit.train.quant.learned.FoldedDorefaWeightQuantizer}) unless {@code bn=after}
 *       ({@link io.lowbit.train.quant.learned.BnPlacement});</li>
 *   <li>{@link io.lowbit.train.quant.learned.LsfqMethod} {@code lsfq}: lowbit's own reading of LSFQ (Bao et al.
 *       2021): learned clip level, hard clamp forward, soft clamp backward.</li>
 * </ul>
 *
 * <p>Every quantizer implements {@link io.lowbit.train.quant.learned.GridQuantizer}: its output is
 * {@code code·step} with an integer {@code code} of its {@link io.lowbit.train.quant.learned.Grid}, so export
 * reads the codes and the steps and nothing else. Formulas, gradients and initialization:
 * {@code docs/quantization.md}. Package-private helpers: {@code QuantOps} (value-exact straight-through and
 * gradient-scaling expressions), {@code ScaledQuantizer} (the learnable-scale skeleton with
 * data-dependent initialization), {@code InitialScales} (host-side LSQ and MSE initializations).
 */
package io.lowbit.train.quant.learned;
