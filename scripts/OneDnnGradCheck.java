/*
 * Standalone check of the oneDNN convolution primitives (and max/avg pooling) that a 1/16-width NIN
 * (nin --width 0.0625) runs, forward and backward, against the same op in float64 (ATen's reference path;
 * oneDNN has no f64 convolution). See docs/training.md, "Known problems" and scripts/onednn-grad-check.sh.
 *
 * For every layer shape it draws x, w and dy (seeded), computes y = conv(x, w), dx and dw in float32 and in
 * float64, and reports non-finite values and the largest error relative to max|reference|. Before every op it
 * allocates and frees NaN-filled buffers of the sizes the op allocates (plain and channel-blocked 8/16), so that
 * an op reading memory it did not write (e.g. the padding channels of a blocked layout) shows up as NaN when the
 * allocator hands that memory back (tcmalloc does; with glibc, MALLOC_PERTURB_ does the same).
 *
 * Args: [batch=100] [repeats=3] [extra=0]; extra=1 also sweeps 1x1 and 3x3 convs (8x8, batch 16) of 1..24 input
 * channels and 1, 3, 6, 10, 12, 16 or 24 output channels.
 * Exit code 1 when any op fails.
 */
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

public class OneDnnGradCheck {

    /** A conv of the model: name, in/out channels, spatial size, kernel, padding. */
    record Conv(String name, int cin, int cout, int hw, int k, int pad) { }

    static final List<Conv> NIN_1_16 = List.of(
            new Conv("conv1", 3, 6, 32, 3, 1), new Conv("conv2", 6, 10, 32, 1, 0),
            new Conv("conv3", 10, 12, 32, 1, 0), new Conv("conv4", 12, 6, 16, 3, 1),
            new Conv("conv5", 6, 12, 16, 1, 0), new Conv("conv6", 12, 12, 16, 1, 0),
            new Conv("conv7", 12, 24, 8, 3, 1), new Conv("conv8", 24, 12, 8, 1, 0),
            new Conv("conv9", 12, 10, 8, 1, 0));

    static final double TOL = 1e-4; // float32 accumulation over <= 216 terms is far below this
    static int failures;

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        boolean extra = args.length > 2 && args[2].equals("1");
        System.out.printf(Locale.ROOT, "PyTorch %s, OMP_NUM_THREADS=%s, ONEDNN_MAX_CPU_ISA=%s, LD_PRELOAD=%s, "
                        + "MALLOC_PERTURB_=%s, batch %d, %d repeats%n",
                Engine.getInstance().getVersion(), System.getenv("OMP_NUM_THREADS"),
                System.getenv("ONEDNN_MAX_CPU_ISA"), System.getenv("LD_PRELOAD"), System.getenv("MALLOC_PERTURB_"),
                batch, repeats);
        List<Conv> convs = new ArrayList<>(NIN_1_16);
        if (extra) {
            for (int cin = 1; cin <= 24; cin++) {
                for (int cout : new int[] {1, 3, 6, 10, 12, 16, 24}) {
                    convs.add(new Conv("sweep", cin, cout, 8, 1, 0));
                    convs.add(new Conv("sweep", cin, cout, 8, 3, 1));
                }
            }
        }
        Engine.getInstance().setRandomSeed(42);
        try (NDManager root = NDManager.newBaseManager()) {
            for (int r = 0; r < repeats; r++) {
                for (Conv c : convs) {
                    checkConv(root, c, c.name().equals("sweep") ? 16 : batch);
                }
                checkPool(root, "pool1 max2x2", batch, 12, 32, true);
                checkPool(root, "pool2 avg2x2", batch, 12, 16, false);
            }
        }
        System.out.println(failures == 0 ? "all ops agree with float64" : failures + " FAILURES");
        System.exit(failures == 0 ? 0 : 1);
    }

    static void poison(NDManager m, long... floats) {
        List<NDArray> held = new ArrayList<>();
        for (long n : floats) {
            for (int i = 0; i < 2; i++) {
                held.add(m.full(new Shape(n), Float.NaN));
            }
        }
        held.forEach(NDArray::close);
    }

    static long up(int c, int b) {
        return (c + b - 1) / b * b;
    }

    static void poisonFor(NDManager m, int n, int cin, int cout, int hin, int hout, int k) {
        List<Long> sizes = new ArrayList<>();
        for (int c : new int[] {cin, cout}) {
            for (int blk : new int[] {1, 8, 16}) {
                sizes.add((long) n * up(c, blk) * (c == cin ? hin * hin : hout * hout));
            }
        }
        for (int blk : new int[] {1, 8, 16}) {
            sizes.add(up(cout, blk) * up(cin, blk) * k * k);
        }
        poison(m, sizes.stream().mapToLong(Long::longValue).toArray());
    }

    static void checkConv(NDManager root, Conv c, int n) {
        try (NDManager m = root.newSubManager()) {
            NDArray x = m.randomNormal(new Shape(n, c.cin(), c.hw(), c.hw()));
            NDArray w = m.randomNormal(0, (float) Math.sqrt(2.0 / (c.cin() * c.k() * c.k())),
                    new Shape(c.cout(), c.cin(), c.k(), c.k()), DataType.FLOAT32);
            NDArray dy = m.randomNormal(0, 1e-3f, new Shape(n, c.cout(), c.hw(), c.hw()), DataType.FLOAT32);
            NDArray[] ref = conv(m, x.toType(DataType.FLOAT64, true), w.toType(DataType.FLOAT64, true),
                    dy.toType(DataType.FLOAT64, true), c);
            poisonFor(m, n, c.cin(), c.cout(), c.hw(), c.hw(), c.k());
            NDArray[] got = conv(m, x, w, dy, c);
            String what = String.format(Locale.ROOT, "%s N%d ic%d oc%d %dx%d k%d p%d", c.name(), n, c.cin(),
                    c.cout(), c.hw(), c.hw(), c.k(), c.pad());
            report(what, new String[] {"fwd y", "bwd-data dx", "bwd-weights dw"}, got, ref);
        }
    }

    static NDArray[] conv(NDManager m, NDArray x0, NDArray w0, NDArray dy, Conv c) {
        NDArray x = x0.duplicate();
        NDArray w = w0.duplicate();
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            y = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(c.pad(), c.pad()), new Shape(1, 1), 1)
                    .singletonOrThrow();
            gc.backward(y.mul(dy).sum());
        }
        return new NDArray[] {y.stopGradient(), x.getGradient().duplicate(), w.getGradient().duplicate()};
    }

    static void checkPool(NDManager root, String name, int n, int ch, int hw, boolean max) {
        try (NDManager m = root.newSubManager()) {
            NDArray x = m.randomNormal(new Shape(n, ch, hw, hw));
            NDArray dy = m.randomNormal(0, 1e-3f, new Shape(n, ch, hw / 2, hw / 2), DataType.FLOAT32);
            NDArray[] ref = pool(x.toType(DataType.FLOAT64, true), dy.toType(DataType.FLOAT64, true), max);
            poisonFor(m, n, ch, ch, hw, hw / 2, 1);
            NDArray[] got = pool(x, dy, max);
            report(name + String.format(Locale.ROOT, " N%d c%d %dx%d", n, ch, hw, hw),
                    new String[] {"fwd y", "bwd dx"}, got, ref);
        }
    }

    static NDArray[] pool(NDArray x0, NDArray dy, boolean max) {
        NDArray x = x0.duplicate();
        x.setRequiresGradient(true);
        NDArray y;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            Shape k = new Shape(2, 2);
            y = max ? Pool.maxPool2d(x, k, k, new Shape(0, 0), false)
                    : Pool.avgPool2d(x, k, k, new Shape(0, 0), false, true);
            gc.backward(y.mul(dy).sum());
        }
        return new NDArray[] {y.stopGradient(), x.getGradient().duplicate()};
    }

    static void report(String what, String[] names, NDArray[] got, NDArray[] ref) {
        StringBuilder line = new StringBuilder(what);
        boolean bad = false;
        for (int i = 0; i < got.length; i++) {
            double[] g = got[i].toType(DataType.FLOAT64, false).toDoubleArray();
            double[] r = ref[i].toDoubleArray();
            int nonFinite = 0;
            double maxRef = 0;
            double maxErr = 0;
            int firstBad = -1;
            for (int j = 0; j < g.length; j++) {
                maxRef = Math.max(maxRef, Math.abs(r[j]));
                if (!Double.isFinite(g[j])) {
                    nonFinite++;
                    if (firstBad < 0) {
                        firstBad = j;
                    }
                } else {
                    maxErr = Math.max(maxErr, Math.abs(g[j] - r[j]));
                }
            }
            double rel = maxRef == 0 ? maxErr : maxErr / maxRef;
            boolean fail = nonFinite > 0 || rel > TOL;
            bad |= fail;
            line.append(String.format(Locale.ROOT, " | %s %s", names[i], fail ? "FAIL" : "ok"));
            if (fail) {
                line.append(String.format(Locale.ROOT, " (non-finite %d of %d, first at %s; rel err %.2e)",
                        nonFinite, g.length, firstBad < 0 ? "-" : index(got[i].getShape(), firstBad), rel));
            } else {
                line.append(String.format(Locale.ROOT, " %.1e", rel));
            }
        }
        if (bad) {
            failures++;
        }
        System.out.println(line);
    }

    static String index(Shape s, int flat) {
        long[] idx = new long[s.dimension()];
        for (int d = s.dimension() - 1; d >= 0; d--) {
            idx[d] = flat % s.get(d);
            flat /= (int) s.get(d);
        }
        return java.util.Arrays.toString(idx);
    }
}
