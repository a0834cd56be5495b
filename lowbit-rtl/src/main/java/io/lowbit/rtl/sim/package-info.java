/**
 * Running the external EDA tools: finding them on {@code PATH}, building Verilator models (cached by a hash of the
 * generated sources, the testbench and the tool version) and running them in a work directory; hex memory images.
 */
package io.lowbit.rtl.sim;
