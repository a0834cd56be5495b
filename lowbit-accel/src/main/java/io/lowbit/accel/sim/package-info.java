/**
 * The cycle-level simulator: {@link io.lowbit.accel.sim.ScheduleTimer} times a program unit by unit (DMA engine,
 * weight banks, PE weight preload, conv unit stream, pipeline drain, pool unit), {@link
 * io.lowbit.accel.sim.DatapathExecutor} executes the same instructions on integer data with the semantics of
 * {@code lowbit-core}, and {@link io.lowbit.accel.sim.CycleSimulator} puts them together. Timing model:
 * {@code docs/accelerator.md} §4.
 */
package io.lowbit.accel.sim;
