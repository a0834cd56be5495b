/**
 * Integer inference: {@link io.lowbit.core.engine.IntegerEngine} runs an {@link io.lowbit.core.model.IntegerModel}
 * on one image; {@link io.lowbit.core.engine.ReferenceEngine} is the golden implementation of
 * {@code docs/integer-semantics.md}, one method per op; {@link io.lowbit.core.engine.NodeObserver} captures every
 * node's output; {@link io.lowbit.core.engine.EngineComparison} checks another engine (fast engine, simulator) against
 * it node by node.
 */
package io.lowbit.core.engine;
