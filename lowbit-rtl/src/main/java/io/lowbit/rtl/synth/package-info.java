/**
 * Synthesis of the generated RTL with Yosys ({@code synth_xilinx}, 7-series) and the resource report parsed from
 * its {@code stat} output.
 */
package io.lowbit.rtl.synth;
