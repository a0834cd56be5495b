/**
 * Storage accounting of an integer model: how many bits its weights take as dense codes or indexes, as a sparse
 * relative-index encoding of the non-zero weights (Deep Compression), plus codebooks and biases, against float32.
 * The encodings are real (encoder and decoder, round-trip tested), so the counted bits are bits that decode.
 * Format and choices: {@code docs/storage.md}.
 */
package io.lowbit.core.storage;
