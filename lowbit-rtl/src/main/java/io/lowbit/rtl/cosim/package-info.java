/**
 * Co-simulation of the RTL against the Java models: {@link io.lowbit.rtl.cosim.LayerImages} lays one compiled conv
 * layer out as the RTL's program images ({@link io.lowbit.rtl.cosim.ProgramImages}) and
 * {@link io.lowbit.rtl.cosim.FeatureMapLayout} a feature map in the banked input-map layout;
 * {@link io.lowbit.rtl.cosim.LayerCosim} runs one layer under Verilator and compares the output feature map with the
 * integer engine (bit-exact) and the cycle count with {@code ScheduleTimer}; {@link io.lowbit.rtl.cosim.PoolImages}
 * and {@link io.lowbit.rtl.cosim.PoolCosim} do the same for a pool layer on the pool unit alone
 * ({@code lowbit_pool_unit}); {@link io.lowbit.rtl.cosim.NetworkImages} and {@link io.lowbit.rtl.cosim.NetworkCosim}
 * run a whole compiled network in one simulation (the layer sequencer, ping-pong feature-map buffers, the DMA engine
 * with its DRAM image and queue, {@link io.lowbit.rtl.cosim.DramImage}).
 */
package io.lowbit.rtl.cosim;
