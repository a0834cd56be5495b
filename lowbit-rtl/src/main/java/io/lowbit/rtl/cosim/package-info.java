/**
 * Co-simulation of the RTL against the Java models: {@link io.lowbit.rtl.cosim.LayerImages} lays one compiled conv
 * layer out as the RTL's memory images, {@link io.lowbit.rtl.cosim.LayerCosim} runs it under Verilator and compares
 * the output feature map with the integer engine (bit-exact) and the cycle count with {@code ScheduleTimer};
 * {@link io.lowbit.rtl.cosim.PoolImages} and {@link io.lowbit.rtl.cosim.PoolCosim} do the same for a pool layer on
 * the pool unit ({@code lowbit_pool_unit}).
 */
package io.lowbit.rtl.cosim;
