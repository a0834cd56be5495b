/**
 * Design-space exploration: {@link io.lowbit.accel.dse.DesignSpace} enumerates configurations around a base design
 * (conv modules, RCAs per module, PEs per RCA, requantizers, dataflow, DSP use, psum buffer),
 * {@link io.lowbit.accel.dse.DesignSpaceExplorer} estimates each one's resources with the calibrated
 * {@link io.lowbit.accel.resource.ResourceModel}, checks it against a {@link
 * io.lowbit.accel.resource.DeviceBudget}, times it on a model with the simulator's schedule timer, and marks the
 * Pareto front of the fitting points
 * ({@link io.lowbit.accel.dse.ParetoFront}). Synthesis of the chosen point is the CLI's ({@code lowbit dse
 * --synth-best}); this package knows nothing of Yosys. {@code docs/accelerator.md} §6.
 */
package io.lowbit.accel.dse;
