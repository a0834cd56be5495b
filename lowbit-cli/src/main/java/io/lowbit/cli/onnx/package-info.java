/**
 * ONNX Runtime as an independent engine: the exact integer ONNX form of a model (bit-exact with the lowbit engines)
 * and its dequantized float form (the speed baseline). The exports themselves live in {@code io.lowbit.core.onnx}.
 */
package io.lowbit.cli.onnx;
