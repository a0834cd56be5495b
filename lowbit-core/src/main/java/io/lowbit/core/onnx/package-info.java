/**
 * ONNX export of integer models, without a protobuf dependency: {@link io.lowbit.core.onnx.IntegerOnnxExport} (an
 * exact graph of ONNX integer operators, checked bit for bit against the lowbit engines with ONNX Runtime) and
 * {@link io.lowbit.core.onnx.FloatOnnxExport} (the dequantized float network, for speed comparisons). The mapping is
 * specified in {@code docs/onnx.md}.
 */
package io.lowbit.core.onnx;
