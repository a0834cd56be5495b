/**
 * The integer model IR: an {@link io.lowbit.core.model.IntegerModel} is metadata plus a validated DAG of
 * {@link io.lowbit.core.model.Node}s, each an {@link io.lowbit.core.model.Op} record holding exactly the integer
 * parameters of {@code docs/integer-semantics.md} and the {@link io.lowbit.core.model.TensorInfo} it produces.
 *
 * <ul>
 *   <li>ops: {@link io.lowbit.core.model.Input}, {@link io.lowbit.core.model.Conv2d},
 *       {@link io.lowbit.core.model.Linear} (both {@link io.lowbit.core.model.WeightedOp}s with
 *       {@link io.lowbit.core.model.WeightCodes} and an {@link io.lowbit.core.model.OutputStage}),
 *       {@link io.lowbit.core.model.MaxPool}, {@link io.lowbit.core.model.AvgPool}, {@link io.lowbit.core.model.Add},
 *       {@link io.lowbit.core.model.ChannelPadSubsample};</li>
 *   <li>values: {@link io.lowbit.core.model.Shape}, {@link io.lowbit.core.model.IntTensor},
 *       {@link io.lowbit.core.model.Window};</li>
 *   <li>sub-package {@code file}: the {@code .lbq} file format ({@code docs/integer-model-format.md}).</li>
 * </ul>
 */
package io.lowbit.core.model;
