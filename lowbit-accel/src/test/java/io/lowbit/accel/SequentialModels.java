package io.lowbit.accel;

import io.lowbit.core.arith.AveragePool;
import io.lowbit.core.arith.FixedPointMultiplier;
import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.OutputClamp;
import io.lowbit.core.arith.PixelNormalization;
import io.lowbit.core.arith.QuantizedType;
import io.lowbit.core.arith.Requantizer;
import io.lowbit.core.arith.Rounding;
import io.lowbit.core.arith.ShiftRequantizer;
import io.lowbit.core.model.AvgPool;
import io.lowbit.core.model.CodebookWeights;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.Input;
import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.IntegerModelBuilder;
import io.lowbit.core.model.IntegerWeights;
import io.lowbit.core.model.Linear;
import io.lowbit.core.model.MaxPool;
import io.lowbit.core.model.OutputStage;
import io.lowbit.core.model.Shape;
import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.model.WeightCodes;
import io.lowbit.core.model.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random chains of the layers the accelerator runs, shaped to stress the compiler: kernels 1..11 (chunks), strides
 * 1..3, asymmetric padding, groups and depthwise, channel counts across several Po·slots and Pi groups, pixel inputs
 * with per-channel zero-points, shift and multiplier requantization, pools, a linear head with int32 logits.
 */
public final class SequentialModels {

    private static final int[] KERNELS = {1, 1, 2, 3, 3, 5, 7, 9, 11};

    private final SplittableRandom rng;
    private final IntegerModelBuilder b;
    private final boolean shiftOnly;
    private final boolean codebookOnly;
    private int counter;

    private SequentialModels(SplittableRandom rng, boolean shiftOnly, boolean codebookOnly) {
        this.rng = rng;
        this.shiftOnly = shiftOnly;
        this.codebookOnly = codebookOnly;
        this.b = IntegerModel.builder("sequential-" + rng.nextInt(1000));
    }

    /** A random chain; {@code shiftOnly}/{@code codebookOnly} restrict it to what the paper's design runs. */
    public static IntegerModel random(SplittableRandom rng, boolean shiftOnly, boolean codebookOnly) {
        return new SequentialModels(rng, shiftOnly, codebookOnly).generate();
    }

    private IntegerModel generate() {
        String cur;
        int h = rng.nextInt(4, 19);
        int w = rng.nextInt(4, 19);
        if (!shiftOnly && rng.nextBoolean()) {
            b.input("input", Input.pixels(new PixelNormalization(new double[] {0.49, 0.48, 0.45},
                    new double[] {0.25, 0.24, 0.26}), h, w));
        } else {
            b.input("input", Input.codes(Shape.chw(rng.nextInt(1, 7), h, w), new QuantizedType(IntType.INT8, 0)),
                    1.0 / 32);
        }
        cur = "input";
        int layers = rng.nextInt(1, 5);
        for (int i = 0; i < layers; i++) {
            int r = rng.nextInt(6);
            if (r == 0 && i > 0) {
                cur = pool(cur);
            } else {
                cur = conv(cur);
            }
        }
        int end = rng.nextInt(3);
        if (end == 0) {
            cur = linear(cur);
        } else if (end == 1) {
            TensorInfo in = b.info(cur);
            int count = in.shape().height() * in.shape().width();
            if (count * 255L <= IntType.INT16.max()) {
                AveragePool sum = new AveragePool(count, in.quantizedType(),
                        new FixedPointMultiplier(FixedPointMultiplier.MIN_MULTIPLIER_Q31, -1),
                        OutputClamp.saturating(IntType.INT16, 0), Rounding.FLOOR);
                b.node("gap", new AvgPool(Window.global(in.shape().height(), in.shape().width()), sum), 1.0, cur);
                cur = "gap";
            }
        }
        return b.build(cur);
    }

    private String conv(String in) {
        TensorInfo info = b.info(in);
        int inC = info.shape().channels();
        int h = info.shape().height();
        int w = info.shape().width();
        for (;;) {
            int k = KERNELS[rng.nextInt(KERNELS.length)];
            int kw = rng.nextInt(4) == 0 ? KERNELS[rng.nextInt(KERNELS.length)] : k;
            Window win = new Window(k, kw, rng.nextInt(1, 4), rng.nextInt(1, 4), rng.nextInt(0, k / 2 + 1),
                    rng.nextInt(0, kw / 2 + 1), rng.nextInt(0, k / 2 + 1), rng.nextInt(0, kw / 2 + 1));
            if (h + win.padTop() + win.padBottom() < k || w + win.padLeft() + win.padRight() < kw) {
                continue;
            }
            int groups = 1;
            int outC = rng.nextInt(4) == 0 ? rng.nextInt(90, 130) : rng.nextInt(1, 24);
            if (rng.nextInt(5) == 0) {
                groups = inC; // depthwise
                outC = inC * rng.nextInt(1, 3);
            } else if (inC % 2 == 0 && rng.nextInt(4) == 0) {
                groups = 2;
                outC = 2 * rng.nextInt(1, 12);
            }
            Shape shape = Shape.of(outC, inC / groups, k, kw);
            long taps = (long) (inC / groups) * k * kw;
            WeightCodes weights = weights(shape);
            String id = "conv" + ++counter;
            b.node(id, new Conv2d(win, groups, weights, bias(outC), stage(outC, taps, info)), 1.0 / 32, in);
            return id;
        }
    }

    private String linear(String in) {
        TensorInfo info = b.info(in);
        int inF = info.shape().elementCount();
        int outF = rng.nextInt(1, 12);
        String id = "fc";
        b.node(id, new Linear(weights(Shape.of(outF, inF)), bias(outF), new OutputStage.Accumulator()), 1.0, in);
        return id;
    }

    private String pool(String in) {
        TensorInfo info = b.info(in);
        int k = Math.min(rng.nextInt(2, 4), Math.min(info.shape().height(), info.shape().width()));
        Window win = Window.square(k, rng.nextInt(1, 3), 0);
        String id = "pool" + ++counter;
        if (rng.nextBoolean() || info.type().bits() > 8) {
            b.node(id, new MaxPool(win), in);
        } else {
            AveragePool avg = AveragePool.fromScales(k * k, 1.0, info.quantizedType(), 1.0,
                    OutputClamp.saturating(IntType.INT8, 0), Rounding.ROUND_HALF_UP);
            b.node(id, new AvgPool(win, avg), 1.0, in);
        }
        return id;
    }

    private WeightCodes weights(Shape shape) {
        int n = shape.elementCount();
        int[] v = new int[n];
        if (codebookOnly || rng.nextBoolean()) {
            List<Integer> levels = new ArrayList<>(List.of(0, -rng.nextInt(1, 60), -rng.nextInt(1, 20),
                    rng.nextInt(1, 60)));
            for (int i = 0; i < n; i++) {
                v[i] = rng.nextDouble() < 0.2 ? 0 : rng.nextInt(1, 4);
            }
            return new CodebookWeights(IntType.INT8, levels, IntTensor.of(shape, v));
        }
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextInt(-127, 128);
        }
        return new IntegerWeights(IntType.INT8, IntTensor.of(shape, v));
    }

    private IntTensor bias(int outC) {
        int[] bias = new int[outC];
        for (int o = 0; o < outC; o++) {
            bias[o] = rng.nextInt(-5000, 5000);
        }
        return IntTensor.vector(bias);
    }

    /** Aims a typical accumulator (about √K·30·64) at a quarter of the int8 range. */
    private OutputStage stage(int outC, long taps, TensorInfo in) {
        double typical = Math.sqrt(taps) * 30 * 64;
        int s = (int) Math.max(0, Math.min(20, Math.round(Math.log(typical / 32) / Math.log(2))));
        OutputClamp clamp = OutputClamp.saturating(IntType.INT8, 0);
        if (rng.nextBoolean()) {
            clamp = clamp.relu();
        }
        if (shiftOnly || rng.nextBoolean()) {
            return new OutputStage.Shift(new ShiftRequantizer(s, clamp, rng.nextBoolean() ? Rounding.FLOOR
                    : Rounding.ROUND_HALF_UP));
        }
        FixedPointMultiplier[] m = new FixedPointMultiplier[outC];
        for (int o = 0; o < outC; o++) {
            m[o] = FixedPointMultiplier.fromScale(Math.scalb(0.5 + rng.nextDouble(), -s));
        }
        return new OutputStage.Requantize(new Requantizer(m, clamp, Rounding.ROUND_HALF_UP));
    }
}
