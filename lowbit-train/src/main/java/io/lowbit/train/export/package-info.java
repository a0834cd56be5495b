/**
 * Export of trained fake-quantized models to the integer IR of {@code lowbit-core} ({@link
 * io.lowbit.train.export.IntegerExport}): host recomputation, in float32 and in the training graph's operation
 * order, of the BN fold, the weight quantizers and the input quantization, so that the integer engine reproduces
 * the fake-quant forward pass.
 */
package io.lowbit.train.export;
