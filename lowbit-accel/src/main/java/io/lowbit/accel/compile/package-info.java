/**
 * The compiler: maps each layer of a sequential integer model onto the conv unit ({@link
 * io.lowbit.accel.compile.RcaMapping}: how many kernels an RCA holds, how many 25-tap chunks a large kernel needs),
 * tiles layers whose partial sums or weights do not fit the buffers, and emits a {@link
 * io.lowbit.accel.compile.Program} of DMA and compute {@link io.lowbit.accel.compile.Instruction}s that the simulator
 * (and the RTL) execute. Program format: {@code docs/accelerator.md} §3.
 */
package io.lowbit.accel.compile;
