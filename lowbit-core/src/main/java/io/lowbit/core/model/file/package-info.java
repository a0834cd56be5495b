/**
 * The integer model file format {@code .lbq} ({@code docs/integer-model-format.md}): a ZIP of {@code model.json} and
 * NumPy {@code .npy} tensors. Entry point {@link io.lowbit.core.model.file.IntegerModelFile}; the {@code .npy} codec
 * {@link io.lowbit.core.model.file.Npy}; reader bounds {@link io.lowbit.core.model.file.ReadLimits}; every bad file is
 * a {@link io.lowbit.core.model.file.ModelFormatException}.
 */
package io.lowbit.core.model.file;
