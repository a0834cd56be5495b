package io.lowbit.core.model;

import io.lowbit.core.arith.AccumulatorBound;
import io.lowbit.core.arith.AveragePool;
import io.lowbit.core.arith.FixedPointMultiplier;
import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.OutputClamp;
import io.lowbit.core.arith.PixelNormalization;
import io.lowbit.core.arith.QuantizedType;
import io.lowbit.core.arith.Requantizer;
import io.lowbit.core.arith.ResidualAdd;
import io.lowbit.core.arith.Rounding;
import io.lowbit.core.arith.ShiftRequantizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded generator of small random valid {@link IntegerModel}s using every op, every weight form and output stage,
 * every rounding mode, per-channel and per-tensor input zero-points, 2..8- and 16-bit types, asymmetric padding,
 * strides, groups, residual branches and both kinds of network output. Multipliers are aimed so that outputs cover
 * their whole range: some saturate at each end, most are rounded inside. For engine, file-format and (later)
 * simulator tests: {@code RandomModels.model(seed)} and {@code RandomModels.image(model, rng)}.
 */
public final class RandomModels {

    private static final IntType[] ACTIVATION_TYPES = {IntType.UINT8, IntType.INT8, IntType.unsigned(4),
        IntType.signed(4), IntType.signed(2), IntType.unsigned(3), IntType.unsigned(6), IntType.signed(5)};
    private static final IntType[] WEIGHT_TYPES = {IntType.signed(2), IntType.signed(3), IntType.signed(4),
        IntType.signed(5), IntType.signed(8)};

    private final SplittableRandom rng;
    private final IntegerModelBuilder builder;
    private int counter;

    private RandomModels(SplittableRandom rng, String name) {
        this.rng = rng;
        this.builder = IntegerModel.builder(ModelMetadata.named(name));
    }

    /** A random model determined by {@code seed}. */
    public static IntegerModel model(long seed) {
        return model(new SplittableRandom(seed), "random-" + seed);
    }

    public static IntegerModel model(SplittableRandom rng, String name) {
        return new RandomModels(rng, name).generate();
    }

    /** A random image of valid input codes for {@code model}, one byte per code. */
    public static byte[] image(IntegerModel model, SplittableRandom rng) {
        Input in = (Input) model.inputNode().op();
        byte[] image = new byte[in.shape().elementCount()];
        for (int i = 0; i < image.length; i++) {
            image[i] = (byte) rng.nextInt(in.type().min(), in.type().max() + 1);
        }
        return image;
    }

    private IntegerModel generate() {
        String cur = input();
        int steps = rng.nextInt(1, 6);
        for (int k = 0; k < steps; k++) {
            TensorInfo info = builder.info(cur);
            int choice = info.hasPerChannelZeroPoints() ? 0 : rng.nextInt(10);
            if (choice < 4) {
                cur = conv(cur, false);
            } else if (choice < 5) {
                cur = maxPool(cur);
            } else if (choice < 6) {
                cur = avgPool(cur, false);
            } else if (choice < 8) {
                cur = residual(cur);
            } else {
                cur = channelPad(cur);
            }
        }
        int end = rng.nextInt(4);
        if (end < 2) {
            cur = linear(cur, end == 0);
        } else if (end == 2 && !builder.info(cur).hasPerChannelZeroPoints()) {
            cur = avgPool(cur, true);
        } else if (builder.info(cur).hasPerChannelZeroPoints()) {
            cur = conv(cur, false);
        }
        return builder.build(cur);
    }

    private String id(String kind) {
        return kind + (++counter);
    }

    private String input() {
        int c = rng.nextInt(1, 4);
        int h = rng.nextInt(3, 9);
        int w = rng.nextInt(3, 9);
        if (rng.nextBoolean()) {
            double[] mean = new double[c];
            double[] std = new double[c];
            for (int k = 0; k < c; k++) {
                mean[k] = rng.nextDouble();
                std[k] = 0.1 + 0.4 * rng.nextDouble();
            }
            builder.input("input", Input.pixels(new PixelNormalization(mean, std), h, w));
        } else {
            IntType t = pick(ACTIVATION_TYPES);
            builder.input("input", Input.codes(Shape.chw(c, h, w), new QuantizedType(t, zeroPoint(t))), scale());
        }
        return "input";
    }

    private String conv(String in, boolean sameShape) {
        TensorInfo info = builder.info(in);
        int inC = info.shape().channels();
        for (int attempt = 0;; attempt++) {
            int groups = 1;
            int outC = rng.nextInt(1, 6);
            if (sameShape) {
                outC = inC;
            } else if (rng.nextInt(4) == 0) {
                groups = inC; // depthwise (multiplier 1 or 2)
                outC = inC * rng.nextInt(1, 3);
            } else if (inC % 2 == 0 && rng.nextInt(4) == 0) {
                groups = 2;
                outC = 2 * rng.nextInt(1, 3);
            }
            Window window;
            if (sameShape) {
                int k = rng.nextBoolean() ? 1 : 3;
                window = Window.square(k, 1, k / 2);
            } else {
                int kh = rng.nextInt(1, 4);
                int kw = rng.nextBoolean() ? kh : rng.nextInt(1, 4);
                window = new Window(kh, kw, rng.nextInt(1, 3), rng.nextInt(1, 3), rng.nextInt(0, kh + 1),
                        rng.nextInt(0, kw + 1), rng.nextInt(0, kh + 1), rng.nextInt(0, kw + 1));
                if (info.shape().height() + window.padTop() + window.padBottom() < kh
                        || info.shape().width() + window.padLeft() + window.padRight() < kw) {
                    continue;
                }
            }
            Shape wShape = Shape.of(outC, inC / groups, window.kernelH(), window.kernelW());
            WeightCodes weights = weights(wShape, info);
            long k = (long) (inC / groups) * window.kernelArea();
            IntTensor bias = bias(outC, k, weights, info);
            if (!fits(k, weights, bias, info)) {
                if (attempt > 20) {
                    throw new IllegalStateException("generator cannot fit an accumulator");
                }
                continue;
            }
            boolean accOut = false;
            OutputStage stage = stage(outC, k, weights, info, accOut);
            String id = id("conv");
            builder.node(id, new Conv2d(window, groups, weights, bias, stage), scale(), in);
            return id;
        }
    }

    private String linear(String in, boolean accumulatorOutput) {
        TensorInfo info = builder.info(in);
        if (info.hasPerChannelZeroPoints()) {
            in = conv(in, false);
            info = builder.info(in);
        }
        int inF = info.shape().elementCount();
        int outF = rng.nextInt(1, 6);
        for (;;) {
            WeightCodes weights = weights(Shape.of(outF, inF), info);
            IntTensor bias = bias(outF, inF, weights, info);
            if (!fits(inF, weights, bias, info)) {
                continue;
            }
            OutputStage stage = stage(outF, inF, weights, info, accumulatorOutput);
            String id = id("fc");
            Linear op = new Linear(weights, bias, stage);
            if (accumulatorOutput && rng.nextBoolean()) {
                List<Double> scales = new ArrayList<>();
                for (int o = 0; o < outF; o++) {
                    scales.add(scale());
                }
                builder.node(id, op, scales, in);
            } else {
                builder.node(id, op, scale(), in);
            }
            return id;
        }
    }

    private String maxPool(String in) {
        TensorInfo info = builder.info(in);
        Window w = poolWindow(info);
        String id = id("maxpool");
        builder.node(id, new MaxPool(w), in);
        return id;
    }

    private String avgPool(String in, boolean global) {
        TensorInfo info = builder.info(in);
        Window w = global ? Window.global(info.shape().height(), info.shape().width()) : poolWindow(info);
        IntType outType = outputType();
        OutputClamp clamp = clamp(outType);
        double m = Math.scalb(1.0 / w.kernelArea(), rng.nextInt(-2, 3)) * (0.75 + 0.5 * rng.nextDouble())
                * range(outType) / range(info.type());
        AveragePool pool = new AveragePool(w.kernelArea(), info.quantizedType(), FixedPointMultiplier.fromScale(m),
                clamp, rounding());
        String id = id(global ? "gap" : "avgpool");
        builder.node(id, new AvgPool(w, pool), scale(), in);
        return id;
    }

    private String residual(String in) {
        String branch = conv(in, true);
        TensorInfo a = builder.info(in);
        TensorInfo b = builder.info(branch);
        boolean swap = rng.nextBoolean();
        TensorInfo first = swap ? b : a;
        TensorInfo second = swap ? a : b;
        IntType outType = outputType();
        double sa = Math.scalb(1.0, rng.nextInt(-3, 4)) * (0.5 + rng.nextDouble()) * range(outType)
                / range(first.type());
        double sb = Math.scalb(1.0, rng.nextInt(-3, 4)) * (0.5 + rng.nextDouble()) * range(outType)
                / range(second.type());
        ResidualAdd add = ResidualAdd.fromScales(sa, first.quantizedType(), sb, second.quantizedType(), 1.0,
                clamp(outType), rounding());
        String id = id("add");
        builder.node(id, new Add(add), scale(), swap ? branch : in, swap ? in : branch);
        return id;
    }

    private String channelPad(String in) {
        TensorInfo info = builder.info(in);
        int outC = info.shape().channels() + 2 * rng.nextInt(0, 3);
        String id = id("shortcut");
        builder.node(id, new ChannelPadSubsample(rng.nextInt(1, 3), outC), in);
        return id;
    }

    private Window poolWindow(TensorInfo info) {
        for (;;) {
            int kh = rng.nextInt(1, 4);
            int kw = rng.nextBoolean() ? kh : rng.nextInt(1, 4);
            Window w = new Window(kh, kw, rng.nextInt(1, 3), rng.nextInt(1, 3), rng.nextInt(0, kh), rng.nextInt(0, kw),
                    rng.nextInt(0, kh), rng.nextInt(0, kw));
            if (info.shape().height() + w.padTop() + w.padBottom() >= kh
                    && info.shape().width() + w.padLeft() + w.padRight() >= kw) {
                return w;
            }
        }
    }

    private WeightCodes weights(Shape shape, TensorInfo input) {
        int n = shape.elementCount();
        int[] v = new int[n];
        if (rng.nextInt(4) == 0) {
            int bits = rng.nextInt(1, 4);
            IntType levelType = rng.nextBoolean() ? IntType.INT8 : pick(WEIGHT_TYPES);
            List<Integer> levels = new ArrayList<>(List.of(0));
            while (levels.size() < 1 << bits) {
                levels.add(rng.nextInt(levelType.min(), levelType.max() + 1));
            }
            for (int i = 0; i < n; i++) {
                v[i] = rng.nextInt(1 << bits);
            }
            return new CodebookWeights(levelType, levels, IntTensor.of(shape, v));
        }
        IntType type = input.type().bits() <= 8 && rng.nextInt(10) == 0 ? IntType.INT16 : pick(WEIGHT_TYPES);
        boolean symmetric = rng.nextBoolean();
        int lo = symmetric ? type.min() + 1 : type.min();
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextInt(lo, type.max() + 1);
        }
        return new IntegerWeights(type, IntTensor.of(shape, v));
    }

    private IntTensor bias(int outC, long k, WeightCodes w, TensorInfo input) {
        long span = Math.max(1, Math.min(1L << 24, (long) Math.sqrt(k) * maxAbs(w) * maxAbsCentred(input)));
        int[] b = new int[outC];
        for (int o = 0; o < outC; o++) {
            b[o] = (int) rng.nextLong(-span, span + 1);
        }
        return IntTensor.vector(b);
    }

    private static boolean fits(long k, WeightCodes w, IntTensor bias, TensorInfo input) {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (int z : input.zeroPoints()) {
            lo = Math.min(lo, (long) input.type().min() - z);
            hi = Math.max(hi, (long) input.type().max() - z);
        }
        return new AccumulatorBound(k, w.minCode(), w.maxCode(), lo, hi, bias.min(), bias.max()).fitsInt32();
    }

    private OutputStage stage(int outC, long k, WeightCodes w, TensorInfo input, boolean accumulatorOutput) {
        if (accumulatorOutput) {
            return new OutputStage.Accumulator();
        }
        IntType outType = outputType();
        OutputClamp clamp = clamp(outType);
        // a typical |acc| is about √K·max|w|·max|d|/3; aim it at a quarter of the output range, jitter by 2^±1.5
        double typical = Math.max(1, Math.sqrt(k) * maxAbs(w) * maxAbsCentred(input) / 3);
        double base = range(outType) / 4 / typical;
        if (rng.nextInt(5) == 0) {
            int s = (int) Math.max(0, Math.min(31, Math.round(-Math.log(base) / Math.log(2)) + rng.nextInt(-1, 2)));
            return new OutputStage.Shift(new ShiftRequantizer(s, clamp, rng.nextBoolean() ? Rounding.FLOOR
                    : Rounding.ROUND_HALF_UP));
        }
        FixedPointMultiplier[] m = new FixedPointMultiplier[outC];
        for (int o = 0; o < outC; o++) {
            double scale = base * Math.pow(2, 3 * rng.nextDouble() - 1.5);
            m[o] = FixedPointMultiplier.fromScale(Math.max(0x1p-31, Math.min(0x1p30, scale)));
        }
        return new OutputStage.Requantize(new Requantizer(m, clamp, rounding()));
    }

    private OutputClamp clamp(IntType type) {
        OutputClamp c = OutputClamp.saturating(type, zeroPoint(type));
        int r = rng.nextInt(4);
        if (r == 0) {
            c = c.relu();
        } else if (r == 1) {
            c = c.relu().withMax(rng.nextInt(c.relu().lo(), type.max() + 1));
        }
        return c;
    }

    private IntType outputType() {
        return rng.nextInt(12) == 0 ? (rng.nextBoolean() ? IntType.INT16 : IntType.unsigned(16)) : pick(ACTIVATION_TYPES);
    }

    private int zeroPoint(IntType t) {
        if (rng.nextInt(3) == 0) {
            return t.signed() ? 0 : t.min();
        }
        return rng.nextInt(t.min(), t.max() + 1);
    }

    private Rounding rounding() {
        return rng.nextBoolean() ? Rounding.ROUND_HALF_UP : Rounding.values()[rng.nextInt(Rounding.values().length)];
    }

    private double scale() {
        return Math.scalb(0.5 + rng.nextDouble(), rng.nextInt(-10, 1));
    }

    private static double range(IntType t) {
        return (double) t.max() - t.min();
    }

    private static long maxAbs(WeightCodes w) {
        return Math.max(Math.abs((long) w.minCode()), Math.abs((long) w.maxCode()));
    }

    private static long maxAbsCentred(TensorInfo in) {
        long m = 0;
        for (int z : in.zeroPoints()) {
            m = Math.max(m, Math.max(Math.abs((long) in.type().min() - z), Math.abs((long) in.type().max() - z)));
        }
        return m;
    }

    private <T> T pick(T[] values) {
        return values[rng.nextInt(values.length)];
    }
}
