package io.lowbit.accel.config;

/**
 * The DMA between DRAM and the on-chip buffers (AXI, paper Fig. 5). A transfer of {@code n} bytes occupies the DMA
 * for {@code latencyCycles + ⌈n / bytesPerCycle⌉} accelerator cycles; transfers are serial.
 *
 * @param bytesPerCycle sustained bytes per accelerator clock cycle (e.g. 8 = one 64-bit AXI HP beat per cycle)
 * @param latencyCycles fixed set-up latency of each transfer
 */
public record DmaConfig(int bytesPerCycle, int latencyCycles) {

    public DmaConfig {
        InvalidConfigException.inRange(bytesPerCycle, 1, 1024, "dma.bytesPerCycle");
        InvalidConfigException.inRange(latencyCycles, 0, 1_000_000, "dma.latencyCycles");
    }

    /** Cycles the DMA is busy moving {@code bytes}. */
    public long transferCycles(long bytes) {
        return latencyCycles + (bytes + bytesPerCycle - 1) / bytesPerCycle;
    }
}
