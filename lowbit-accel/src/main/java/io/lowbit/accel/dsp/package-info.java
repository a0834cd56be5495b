/**
 * DSP-slice arithmetic: packing several low-bit products that share one operand into one multiplier of a Xilinx
 * DSP48 slice, and recovering them exactly ({@code docs/accelerator.md} §7). The RTL (lowbit_shared_mul.v)
 * implements the same packing; both are checked over every input combination of the packed widths.
 */
package io.lowbit.accel.dsp;
