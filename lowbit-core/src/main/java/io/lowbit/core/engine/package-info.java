/**
 * Integer inference: {@link io.lowbit.core.engine.IntegerEngine} runs an {@link io.lowbit.core.model.IntegerModel}
 * on one image (or a batch); {@link io.lowbit.core.engine.ReferenceEngine} is the golden implementation of
 * {@code docs/integer-semantics.md}, one method per op, slow and obviously right;
 * {@link io.lowbit.core.engine.FastEngine} compiles each model once into vectorizable loops and threads, for test
 * sets and benchmarks, and is bit-exact with the reference on every node;
 * {@link io.lowbit.core.engine.NodeObserver} captures every node's output;
 * {@link io.lowbit.core.engine.EngineComparison} checks another engine (the fast engine, the simulator) against the
 * reference node by node.
 */
package io.lowbit.core.engine;
