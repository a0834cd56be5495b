/**
 * The training loop: {@link io.lowbit.train.loop.TrainingRun} runs epochs of SGD/Adam
 * ({@link io.lowbit.train.loop.ParameterOptimizer}) under an {@link io.lowbit.train.loop.LrSchedule}, evaluates,
 * and keeps the run directory ({@link io.lowbit.train.loop.RunDirectory}) current: atomic checkpoints
 * ({@link io.lowbit.train.loop.CheckpointFile}), metrics, summary and curves.
 */
package io.lowbit.train.loop;
