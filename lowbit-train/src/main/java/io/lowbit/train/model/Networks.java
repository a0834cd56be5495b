package io.lowbit.train.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.initializer.XavierInitializer;
import io.lowbit.train.nn.ConvUnit;
import io.lowbit.train.nn.LinearUnit;
import io.lowbit.train.nn.ResidualBlock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Initialization and inspection of networks built by {@link Models}. */
public final class Networks {

    /** CIFAR input of one image. */
    public static final Shape IMAGE_SHAPE = new Shape(1, 3, 32, 32);

    private Networks() {
    }

    /**
     * Seeds PyTorch's generator and initializes every parameter: conv weights He-normal (fan-in, gain 2),
     * linear weights Glorot-uniform, biases and BN β zero, BN γ one, running statistics 0/1. Trainable
     * parameters get gradient storage.
     */
    public static void initialize(Block net, NDManager manager, long seed) {
        Engine.getInstance().setRandomSeed(Long.hashCode(seed));
        net.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.IN, 2), p -> p.getType() == Parameter.Type.WEIGHT
                && p.getShape() != null && p.getShape().dimension() == 4);
        net.setInitializer(new XavierInitializer(), p -> p.getType() == Parameter.Type.WEIGHT
                && p.getShape() != null && p.getShape().dimension() == 2);
        net.initialize(manager, DataType.FLOAT32, IMAGE_SHAPE);
        for (Parameter p : net.getParameters().values()) {
            if (p.requiresGradient()) {
                p.getArray().setRequiresGradient(true);
            }
        }
    }

    /** Parameters by their hierarchical name, in the network's order. */
    public static Map<String, Parameter> namedParameters(Block net) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        net.getParameters().forEach(pair -> out.put(pair.getKey(), pair.getValue()));
        return out;
    }

    /** Number of trainable scalars (BN running statistics excluded). */
    public static long trainableParameterCount(Block net) {
        long n = 0;
        for (Parameter p : net.getParameters().values()) {
            if (p.requiresGradient()) {
                n += p.getShape().size();
            }
        }
        return n;
    }

    /** The conv and linear units in forward order, residual shortcuts after their main branch. */
    public static List<Block> units(Block net) {
        List<Block> out = new ArrayList<>();
        collect(net, out);
        return out;
    }

    private static void collect(Block b, List<Block> out) {
        if (b instanceof ConvUnit || b instanceof LinearUnit) {
            out.add(b);
        } else if (b instanceof ResidualBlock r) {
            collect(r.main(), out);
            if (r.projection() != null) {
                out.add(r.projection());
            }
        } else {
            for (Block child : b.getChildren().values()) {
                collect(child, out);
            }
        }
    }

    /** Multiply-accumulates of one forward pass of one 32×32 image (conv and linear layers). */
    public static long macsPerImage(SequentialBlock net) {
        long[] total = {0};
        walkShapes(net, IMAGE_SHAPE, total);
        return total[0];
    }

    private static Shape walkShapes(Block b, Shape in, long[] total) {
        if (b instanceof ConvUnit c) {
            total[0] += c.spec().macs((int) in.get(2), (int) in.get(3));
            return c.getOutputShapes(new Shape[] {in})[0];
        }
        if (b instanceof LinearUnit l) {
            total[0] += (long) l.inFeatures() * l.outFeatures();
            return l.getOutputShapes(new Shape[] {in})[0];
        }
        if (b instanceof ResidualBlock r) {
            Shape out = walkShapes(r.main(), in, total);
            if (r.projection() != null) {
                walkShapes(r.projection(), in, total);
            }
            return out;
        }
        if (b instanceof SequentialBlock s) {
            Shape cur = in;
            for (Block child : s.getChildren().values()) {
                cur = walkShapes(child, cur, total);
            }
            return cur;
        }
        return b.getOutputShapes(new Shape[] {in})[0];
    }
}
