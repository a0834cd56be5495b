/** Throughput measurements of training, run from {@code lowbit bench train}; results live in {@code bench/}. */
package io.lowbit.train.bench;
