/**
 * Layer units the models are assembled from. {@link io.lowbit.train.nn.ConvUnit} (conv → BN → ReLU) and
 * {@link io.lowbit.train.nn.LinearUnit} carry transform slots for weight and activation fake-quantization;
 * {@link io.lowbit.train.nn.Pool2d} and {@link io.lowbit.train.nn.ResidualBlock} expose their geometry so that
 * export can translate a trained model into the integer IR without knowing which model it is.
 */
package io.lowbit.train.nn;
