/**
 * The CIFAR model zoo: {@link io.lowbit.train.model.Models#build} turns a {@link io.lowbit.train.model.ModelSpec}
 * (architecture, width multiplier, classes) into a DJL block assembled from {@code io.lowbit.train.nn} units;
 * {@link io.lowbit.train.model.Networks} initializes it and walks its units.
 */
package io.lowbit.train.model;
