package io.lowbit.core.engine;

import io.lowbit.core.arith.AveragePool;
import io.lowbit.core.arith.FixedPointMultiplier;
import io.lowbit.core.arith.OutputClamp;
import io.lowbit.core.arith.Requantizer;
import io.lowbit.core.arith.ResidualAdd;
import io.lowbit.core.arith.ShiftRequantizer;
import io.lowbit.core.model.Add;
import io.lowbit.core.model.AvgPool;
import io.lowbit.core.model.ChannelPadSubsample;
import io.lowbit.core.model.CodebookWeights;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.Input;
import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.IntegerWeights;
import io.lowbit.core.model.Linear;
import io.lowbit.core.model.MaxPool;
import io.lowbit.core.model.Node;
import io.lowbit.core.model.OutputStage;
import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.model.WeightedOp;
import io.lowbit.core.model.Window;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/**
 * A second, independent implementation of docs/integer-semantics.md for tests: BigInteger accumulators, rounding by
 * exact rational division (not shifts), convolution as a scatter over the real input positions (padding never
 * materialized: a padded tap contributes {@code w·(Z − Z) = 0}, §2), and no use of the arith classes' arithmetic
 * (only their parameters). Records every accumulator, so tests can check requantization against real arithmetic.
 * Can also be fed given inputs node by node ({@link #evaluate}).
 */
final class EmulatedEngine implements IntegerEngine {

    /** The accumulators (before the output stage) of the last run, per weighted node, row-major. */
    final Map<String, BigInteger[]> accumulators = new HashMap<>();

    @Override
    public String name() {
        return "emulated";
    }

    @Override
    public int[] run(IntegerModel model, byte[] image, NodeObserver observer) {
        Map<String, int[]> values = new HashMap<>();
        for (Node node : model.nodes()) {
            int[][] inputs = new int[node.inputs().size()][];
            for (int k = 0; k < inputs.length; k++) {
                inputs[k] = values.get(node.inputs().get(k));
            }
            int[] y = evaluate(model, node, inputs, image);
            values.put(node.id(), y);
            observer.onOutput(node, IntTensor.of(node.output().shape(), y));
        }
        return values.get(model.outputId()).clone();
    }

    /** The output of {@code node} for the given input values (the image for the input node). */
    int[] evaluate(IntegerModel model, Node node, int[][] inputs, byte[] image) {
        TensorInfo out = node.output();
        if (node.op() instanceof Input in) {
            if (image.length != in.shape().elementCount()) {
                throw new IllegalArgumentException("image size");
            }
            int[] y = new int[image.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = in.type().signed() ? image[i] : image[i] & 0xFF;
            }
            return y;
        }
        TensorInfo in = model.node(node.input()).output();
        if (node.op() instanceof Conv2d c) {
            BigInteger[] acc = convAccumulators(c, in, inputs[0], out);
            accumulators.put(node.id(), acc);
            return stage(c, acc, out);
        } else if (node.op() instanceof Linear l) {
            BigInteger[] acc = new BigInteger[l.outChannels()];
            int inF = inputs[0].length;
            for (int o = 0; o < acc.length; o++) {
                BigInteger a = BigInteger.valueOf(l.bias().get(o));
                for (int i = 0; i < inF; i++) {
                    a = a.add(BigInteger.valueOf(weight(l, o * inF + i))
                            .multiply(BigInteger.valueOf(inputs[0][i] - (long) in.zeroPoint(0))));
                }
                acc[o] = a;
            }
            accumulators.put(node.id(), acc);
            return stage(l, acc, out);
        } else if (node.op() instanceof MaxPool m) {
            return maxPool(m.window(), in, inputs[0], out);
        } else if (node.op() instanceof AvgPool a) {
            return avgPool(a, in, inputs[0], out);
        } else if (node.op() instanceof Add a) {
            ResidualAdd r = a.add();
            int[] y = new int[inputs[0].length];
            for (int i = 0; i < y.length; i++) {
                BigInteger sum = BigInteger.valueOf(r.multiplierA())
                        .multiply(BigInteger.valueOf((long) inputs[0][i] - r.a().zeroPoint()))
                        .add(BigInteger.valueOf(r.multiplierB())
                                .multiply(BigInteger.valueOf((long) inputs[1][i] - r.b().zeroPoint())));
                y[i] = clampOut(ExactRounding.round(sum, ExactRounding.pow2(r.rightShift()), r.rounding()),
                        r.output());
            }
            return y;
        } else if (node.op() instanceof ChannelPadSubsample s) {
            int p = (s.outChannels() - in.shape().channels()) / 2;
            int[] y = new int[out.shape().elementCount()];
            int oh = out.shape().height();
            int ow = out.shape().width();
            for (int c = 0; c < s.outChannels(); c++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        boolean real = c >= p && c < p + in.shape().channels();
                        y[(c * oh + i) * ow + j] = real ? inputs[0][((c - p) * in.shape().height() + i * s.stride())
                                * in.shape().width() + j * s.stride()] : in.zeroPoint(0);
                    }
                }
            }
            return y;
        }
        throw new IllegalStateException(node.op().kind());
    }

    /** Scatter form of §4: every real input position adds {@code w·(x − Z_c)} to each output it reaches. */
    private static BigInteger[] convAccumulators(Conv2d op, TensorInfo in, int[] x, TensorInfo out) {
        Window w = op.window();
        int inC = in.shape().channels();
        int inH = in.shape().height();
        int inW = in.shape().width();
        int outC = out.shape().channels();
        int outH = out.shape().height();
        int outW = out.shape().width();
        int cpg = inC / op.groups();
        int opg = outC / op.groups();
        BigInteger[] acc = new BigInteger[outC * outH * outW];
        for (int o = 0; o < outC; o++) {
            for (int p = 0; p < outH * outW; p++) {
                acc[o * outH * outW + p] = BigInteger.valueOf(op.bias().get(o));
            }
        }
        for (int c = 0; c < inC; c++) {
            int g = c / cpg;
            for (int iy = 0; iy < inH; iy++) {
                for (int ix = 0; ix < inW; ix++) {
                    BigInteger d = BigInteger.valueOf((long) x[(c * inH + iy) * inW + ix] - in.zeroPoint(c));
                    for (int o = g * opg; o < (g + 1) * opg; o++) {
                        for (int i = 0; i < w.kernelH(); i++) {
                            int ny = iy + w.padTop() - i; // = oy·sH
                            if (ny < 0 || ny % w.strideH() != 0 || ny / w.strideH() >= outH) {
                                continue;
                            }
                            for (int j = 0; j < w.kernelW(); j++) {
                                int nx = ix + w.padLeft() - j;
                                if (nx < 0 || nx % w.strideW() != 0 || nx / w.strideW() >= outW) {
                                    continue;
                                }
                                int flat = (((o * cpg) + (c - g * cpg)) * w.kernelH() + i) * w.kernelW() + j;
                                int pos = (o * outH + ny / w.strideH()) * outW + nx / w.strideW();
                                acc[pos] = acc[pos].add(BigInteger.valueOf(weight(op, flat)).multiply(d));
                            }
                        }
                    }
                }
            }
        }
        return acc;
    }

    private static long weight(WeightedOp op, int flat) {
        if (op.weights() instanceof CodebookWeights cb) {
            return cb.levels().get(cb.indexes().get(flat));
        }
        return ((IntegerWeights) op.weights()).codes().get(flat);
    }

    private static int[] stage(WeightedOp op, BigInteger[] acc, TensorInfo out) {
        int perChannel = acc.length / op.outChannels();
        int[] y = new int[acc.length];
        for (int i = 0; i < acc.length; i++) {
            int o = i / perChannel;
            BigInteger a = acc[i];
            if (a.bitLength() > 31) {
                throw new AssertionError("accumulator " + a + " does not fit int32");
            }
            OutputStage s = op.outputStage();
            if (s instanceof OutputStage.Requantize r) {
                Requantizer q = r.requantizer();
                FixedPointMultiplier m = q.multiplier(o);
                y[i] = clampOut(ExactRounding.round(a.multiply(BigInteger.valueOf(m.multiplierQ31())),
                        ExactRounding.pow2(31 + m.rightShift()), q.rounding()), q.output());
            } else if (s instanceof OutputStage.Shift sh) {
                ShiftRequantizer q = sh.shift();
                y[i] = clampOut(ExactRounding.round(a, ExactRounding.pow2(q.rightShift()), q.rounding()), q.output());
            } else {
                y[i] = a.intValueExact();
            }
        }
        return y;
    }

    private static int[] maxPool(Window w, TensorInfo in, int[] x, TensorInfo out) {
        int inH = in.shape().height();
        int inW = in.shape().width();
        int outH = out.shape().height();
        int outW = out.shape().width();
        int[] y = new int[out.shape().elementCount()];
        for (int c = 0; c < out.shape().channels(); c++) {
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    Integer best = null;
                    for (int iy = Math.max(0, oy * w.strideH() - w.padTop());
                            iy < Math.min(inH, oy * w.strideH() - w.padTop() + w.kernelH()); iy++) {
                        for (int ix = Math.max(0, ox * w.strideW() - w.padLeft());
                                ix < Math.min(inW, ox * w.strideW() - w.padLeft() + w.kernelW()); ix++) {
                            int v = x[(c * inH + iy) * inW + ix];
                            best = best == null || v > best ? v : best;
                        }
                    }
                    y[(c * outH + oy) * outW + ox] = best;
                }
            }
        }
        return y;
    }

    /** §12 with the padding left out of the sum (it contributes Z − Z = 0) but counted in M's divisor. */
    private static int[] avgPool(AvgPool op, TensorInfo in, int[] x, TensorInfo out) {
        Window w = op.window();
        AveragePool pool = op.pool();
        int inH = in.shape().height();
        int inW = in.shape().width();
        int outH = out.shape().height();
        int outW = out.shape().width();
        int z = in.zeroPoint(0);
        int[] y = new int[out.shape().elementCount()];
        for (int c = 0; c < out.shape().channels(); c++) {
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    long sum = 0;
                    for (int iy = Math.max(0, oy * w.strideH() - w.padTop());
                            iy < Math.min(inH, oy * w.strideH() - w.padTop() + w.kernelH()); iy++) {
                        for (int ix = Math.max(0, ox * w.strideW() - w.padLeft());
                                ix < Math.min(inW, ox * w.strideW() - w.padLeft() + w.kernelW()); ix++) {
                            sum += x[(c * inH + iy) * inW + ix] - z;
                        }
                    }
                    FixedPointMultiplier m = pool.multiplier();
                    y[(c * outH + oy) * outW + ox] = clampOut(ExactRounding.round(
                            BigInteger.valueOf(sum).multiply(BigInteger.valueOf(m.multiplierQ31())),
                            ExactRounding.pow2(31 + m.rightShift()), pool.rounding()), pool.output());
                }
            }
        }
        return y;
    }

    private static int clampOut(BigInteger centred, OutputClamp c) {
        return ExactRounding.clamp(centred.add(BigInteger.valueOf(c.zeroPoint())), c.lo(), c.hi());
    }
}
