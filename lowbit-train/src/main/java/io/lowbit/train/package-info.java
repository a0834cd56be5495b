/** Training side of lowbit (DJL + PyTorch): datasets, models, training loop, checkpoints. */
package io.lowbit.train;
