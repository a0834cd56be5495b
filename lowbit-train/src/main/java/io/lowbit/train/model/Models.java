package io.lowbit.train.model;

import ai.djl.nn.SequentialBlock;
import io.lowbit.train.nn.ConvSpec;
import io.lowbit.train.nn.ConvUnit;
import io.lowbit.train.nn.LinearUnit;
import io.lowbit.train.nn.Pool2d;
import io.lowbit.train.nn.ResidualBlock;

/**
 * Builds the CIFAR networks from {@link ConvUnit}, {@link LinearUnit}, {@link Pool2d} and {@link ResidualBlock}.
 * Every network takes (N, 3, 32, 32) normalized images and returns (N, classes) logits. Layer names are stable
 * ("conv1", "stage2.block1.convA", …): quantization overrides, export and reports refer to them.
 * The exact layer lists and the choices made where the papers are silent are in {@code docs/models.md}.
 */
public final class Models {

    /** The name of every network's first layer (the one that reads the network input). */
    public static final String FIRST_LAYER = "conv1";

    private Models() {
    }

    public static SequentialBlock build(ModelSpec spec) {
        return switch (spec.architecture()) {
            case NIN -> ninCheng(spec);
            case NIN_LIN -> ninLin(spec);
            case VGG7 -> vgg7(spec);
            case MOBILENETV2 -> mobileNetV2(spec);
            case RESNET20 -> resNet20(spec);
        };
    }

    /**
     * NIN of the CLIP-Q authors' code (papers.md §1.4): 96-160-192 | 96-192-192 | 384-192-classes with 3×3 and
     * 1×1 kernels, max pool 2×2, average pool 2×2, global average pool. BN after every conv (their first
     * commit; needed for ~90 %), ReLU after every conv including the last, as in their code.
     */
    private static SequentialBlock ninCheng(ModelSpec s) {
        int c96 = s.channels(96), c160 = s.channels(160), c192 = s.channels(192), c384 = s.channels(384);
        return new SequentialBlock()
                .add(conv(FIRST_LAYER, 3, c96, 3, 1))
                .add(conv("conv2", c96, c160, 1, 1))
                .add(conv("conv3", c160, c192, 1, 1))
                .add(Pool2d.max("pool1", 2, 2, 0))
                .add(conv("conv4", c192, c96, 3, 1))
                .add(conv("conv5", c96, c192, 1, 1))
                .add(conv("conv6", c192, c192, 1, 1))
                .add(Pool2d.avg("pool2", 2, 2, 0))
                .add(conv("conv7", c192, c384, 3, 1))
                .add(conv("conv8", c384, c192, 1, 1))
                .add(conv("conv9", c192, s.numClasses(), 1, 1))
                .add(Pool2d.globalAvg("gap"));
    }

    /**
     * The original NIN (Lin et al. 2014, CIFAR-10 Caffe definition): 192-160-96 (5×5) | 192-192-192 (5×5) |
     * 192-192-classes (3×3), with 3×3/2 pools. Caffe rounds pool outputs up; here the pools pad by 1 and round
     * down, which gives the same 32 → 16 → 8 sizes with windows the integer engine can express.
     */
    private static SequentialBlock ninLin(ModelSpec s) {
        int c96 = s.channels(96), c160 = s.channels(160), c192 = s.channels(192);
        return new SequentialBlock()
                .add(conv(FIRST_LAYER, 3, c192, 5, 1))
                .add(conv("conv2", c192, c160, 1, 1))
                .add(conv("conv3", c160, c96, 1, 1))
                .add(Pool2d.max("pool1", 3, 2, 1))
                .add(conv("conv4", c96, c192, 5, 1))
                .add(conv("conv5", c192, c192, 1, 1))
                .add(conv("conv6", c192, c192, 1, 1))
                .add(Pool2d.avg("pool2", 3, 2, 1))
                .add(conv("conv7", c192, c192, 3, 1))
                .add(conv("conv8", c192, c192, 1, 1))
                .add(conv("conv9", c192, s.numClasses(), 1, 1))
                .add(Pool2d.globalAvg("gap"));
    }

    /** VGG-Small (papers.md §5.1): conv-BN-ReLU pairs at 128, 256, 512 channels, max pool after each pair, FC. */
    private static SequentialBlock vgg7(ModelSpec s) {
        int c128 = s.channels(128), c256 = s.channels(256), c512 = s.channels(512);
        return new SequentialBlock()
                .add(conv(FIRST_LAYER, 3, c128, 3, 1))
                .add(conv("conv2", c128, c128, 3, 1))
                .add(Pool2d.max("pool1", 2, 2, 0))
                .add(conv("conv3", c128, c256, 3, 1))
                .add(conv("conv4", c256, c256, 3, 1))
                .add(Pool2d.max("pool2", 2, 2, 0))
                .add(conv("conv5", c256, c512, 3, 1))
                .add(conv("conv6", c512, c512, 3, 1))
                .add(Pool2d.max("pool3", 2, 2, 0))
                .add(new LinearUnit("fc", c512 * 4 * 4, s.numClasses()));
    }

    /** (expansion t, output channels c, repeats n, first stride s) of kuangliu's CIFAR MobileNetV2. */
    static final int[][] MOBILENETV2_BLOCKS = {
        {1, 16, 1, 1}, {6, 24, 2, 1}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1},
    };

    /**
     * MobileNetV2 for CIFAR (papers.md §5.2, kuangliu e010fe8): stride-1 stem, inverted residual blocks
     * (1×1 expand → 3×3 depthwise → 1×1 linear projection), a shortcut on every stride-1 block — identity when
     * channels match, else 1×1 conv + BN (this variant's rule; the original MobileNetV2 has none there) — and no
     * ReLU after the add; 1×1 to 1280, global average pool over the 4×4 map, FC.
     */
    private static SequentialBlock mobileNetV2(ModelSpec s) {
        SequentialBlock net = new SequentialBlock();
        int in = s.channels(32);
        net.add(conv(FIRST_LAYER, 3, in, 3, 1));
        int index = 0;
        for (int[] cfg : MOBILENETV2_BLOCKS) {
            int out = s.channels(cfg[1]);
            for (int r = 0; r < cfg[2]; r++) {
                int stride = r == 0 ? cfg[3] : 1;
                net.add(invertedResidual("block" + (++index), in, out, cfg[0], stride));
                in = out;
            }
        }
        int last = s.channels(1280);
        net.add(conv("conv2", in, last, 1, 1));
        net.add(Pool2d.globalAvg("gap"));
        net.add(new LinearUnit("fc", last, s.numClasses()));
        return net;
    }

    private static ai.djl.nn.Block invertedResidual(String name, int in, int out, int expansion, int stride) {
        int planes = expansion * in;
        SequentialBlock main = new SequentialBlock()
                .add(conv(name + ".expand", in, planes, 1, 1))
                .add(new ConvUnit(new ConvSpec(name + ".dw", planes, planes, 3, stride, 1, planes, true, true)))
                .add(new ConvUnit(new ConvSpec(name + ".project", planes, out, 1, 1, 0, 1, true, false)));
        if (stride != 1) {
            return main;
        }
        ResidualBlock.Shortcut sc = in == out ? ResidualBlock.Shortcut.IDENTITY : ResidualBlock.Shortcut.PROJECTION;
        return new ResidualBlock(name, main, sc, in, out, 1, false);
    }

    /** ResNet-20 (He et al. 2016, §4.2): 16-32-64 channels, 3 basic blocks per stage, option-A shortcuts. */
    private static SequentialBlock resNet20(ModelSpec s) {
        SequentialBlock net = new SequentialBlock();
        int in = s.channels(16);
        net.add(conv(FIRST_LAYER, 3, in, 3, 1));
        int[] widths = {s.channels(16), s.channels(32), s.channels(64)};
        for (int stage = 0; stage < 3; stage++) {
            for (int b = 0; b < 3; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                int out = widths[stage];
                String name = "stage" + (stage + 1) + ".block" + (b + 1);
                SequentialBlock main = new SequentialBlock()
                        .add(conv(name + ".convA", in, out, 3, stride))
                        .add(new ConvUnit(new ConvSpec(name + ".convB", out, out, 3, 1, 1, 1, true, false)));
                ResidualBlock.Shortcut sc = stride == 1 && in == out
                        ? ResidualBlock.Shortcut.IDENTITY : ResidualBlock.Shortcut.ZERO_PAD;
                net.add(new ResidualBlock(name, main, sc, in, out, stride, true));
                in = out;
            }
        }
        net.add(Pool2d.globalAvg("gap"));
        net.add(new LinearUnit("fc", in, s.numClasses()));
        return net;
    }

    private static ConvUnit conv(String name, int in, int out, int kernel, int stride) {
        return new ConvUnit(ConvSpec.convBnRelu(name, in, out, kernel, stride));
    }
}
