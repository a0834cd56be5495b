/**
 * Accelerator configuration: one immutable {@link io.lowbit.accel.config.AcceleratorConfig}, loaded from JSON or a
 * preset, drives the compiler, the simulator and (later) the RTL generator. Fields and units:
 * {@code docs/accelerator.md} §1.
 */
package io.lowbit.accel.config;
