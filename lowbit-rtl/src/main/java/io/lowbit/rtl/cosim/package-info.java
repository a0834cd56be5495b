/**
 * Co-simulation of the RTL against the Java models: {@link io.lowbit.rtl.cosim.LayerImages} lays one compiled conv
 * layer out as the RTL's memory images, {@link io.lowbit.rtl.cosim.LayerCosim} runs it under Verilator and compares
 * the output feature map with the integer engine (bit-exact) and the cycle count with {@code ScheduleTimer}.
 */
package io.lowbit.rtl.cosim;
