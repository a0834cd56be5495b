/**
 * FPGA resources of an accelerator configuration: {@link io.lowbit.accel.resource.ResourceModel} estimates the LUTs,
 * flip-flops, DSPs and block RAMs of the conv unit from its structure (codebook products, PE product selects and
 * adder trees, per-slot chain stage and psum path, shared requantizers, psum banks, control), with coefficients
 * fitted ({@link io.lowbit.accel.resource.ResourceFit}) to Yosys {@code synth_xilinx} runs of sample configurations
 * ({@code bench/results/resource-calibration.json}); {@link io.lowbit.accel.resource.DeviceBudget} holds the
 * devices' resources. The model knows nothing of Yosys: the samples are data. Method and error:
 * {@code docs/accelerator.md} §6.
 */
package io.lowbit.accel.resource;
