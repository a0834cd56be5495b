/**
 * Verilog RTL of the accelerator of {@code docs/accelerator.md}: hand-written modules (PE, RCA, codebook decoder,
 * shift requantizer, conv module and unit, controller) parameterized from an
 * {@link io.lowbit.accel.config.AcceleratorConfig} by {@link io.lowbit.rtl.RtlGenerator}. Co-simulation lives in
 * {@code io.lowbit.rtl.cosim}, the Verilator driver in {@code io.lowbit.rtl.sim}, synthesis in
 * {@code io.lowbit.rtl.synth}. Structure and formats: {@code docs/rtl.md}.
 */
package io.lowbit.rtl;
