/**
 * CLIP-Q weight pruning-quantization (Tung &amp; Mori 2018, as used by Cheng, Lin, Shih, TCSI 2022; papers.md
 * §1.2, §1.3, §2.1), pure Java. The central type is {@link io.lowbit.train.quant.clipq.ClipQuantizer}: it
 * turns one layer's flattened full-precision weights into a {@link io.lowbit.train.quant.clipq.ClipQResult}
 * (2^b-entry codebook with 0 at index 0, one b-bit index per weight) under a {@link
 * io.lowbit.train.quant.clipq.ClipQConfig} (p, b, {@link io.lowbit.train.quant.clipq.PartitionMode}, level
 * fixed-point format and rounding). It is O(n) and reuses its scratch, for use on every minibatch.
 */
package io.lowbit.train.quant.clipq;
