/**
 * Integer core of lowbit: fixed-point arithmetic, the integer model IR and file format, and the integer
 * inference engine that every other layer of the stack (fake-quant training, simulator, RTL) is checked against.
 * Depends on the JDK and a JSON library only.
 */
package io.lowbit.core;
