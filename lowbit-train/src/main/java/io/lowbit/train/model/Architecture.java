package io.lowbit.train.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The CIFAR networks lowbit trains, each named as on the command line. */
public enum Architecture {
    /** NIN as in the CLIP-Q authors' code (3×3/1×1 convs), with BatchNorm after every conv. */
    NIN("nin"),
    /** NIN of Lin, Chen and Yan (ICLR 2014) for CIFAR: 5×5, 5×5 and 3×3 mlpconv stacks. */
    NIN_LIN("nin-lin"),
    /** VGG-Small: 128-128-M-256-256-M-512-512-M-FC. */
    VGG7("vgg7"),
    /** MobileNetV2 for CIFAR (kuangliu variant: stride-1 stem, projection shortcuts when channels change). */
    MOBILENETV2("mobilenetv2"),
    /** ResNet-20 of He et al. for CIFAR (3 stages × 3 basic blocks, option-A shortcuts). */
    RESNET20("resnet20");

    private final String cliName;

    Architecture(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Architecture parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Architecture a : values()) {
            if (a.cliName.equals(n)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "'; choose one of " + names());
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(Architecture::cliName).toList();
    }
}
