/**
 * The accelerator: an immutable configuration ({@link io.lowbit.accel.config}), a compiler that maps an integer model
 * onto the reconfigurable convolution arrays and writes a program ({@link io.lowbit.accel.compile}), and a cycle-level
 * simulator that runs that program with the integer semantics of {@code lowbit-core} ({@link io.lowbit.accel.sim}).
 * The design, its timing model and the program format: {@code docs/accelerator.md}. This module knows the integer
 * model and nothing of training.
 */
package io.lowbit.accel;
