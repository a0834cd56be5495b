package io.lowbit.accel.sim;

import io.lowbit.accel.compile.Instruction;
import io.lowbit.accel.compile.LayerPlan;
import io.lowbit.accel.compile.Program;
import io.lowbit.core.engine.NodeObserver;
import io.lowbit.core.engine.ReferenceEngine;
import io.lowbit.core.model.AvgPool;
import io.lowbit.core.model.Input;
import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.MaxPool;
import io.lowbit.core.model.Node;
import io.lowbit.core.model.OutputStage;
import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.model.WeightedOp;
import java.util.HashMap;
import java.util.Map;

/**
 * Executes a program's instructions on integer data: the two feature-map buffers, the partial sums, the RCA passes
 * and the requantization unit, with the arithmetic of {@code docs/integer-semantics.md}. A pass adds, for its output
 * channels, input channels, kernel-chunk taps and row tile, {@code w·(x − Z_in)} into the partial sums (initialized
 * with the bias by the first pass); the last pass of a group applies the layer's output stage. Because every partial
 * sum fits the accumulator (checked by the compiler, §5), the pass order cannot change a result, and any difference
 * from the integer engine is a compiler bug (a channel, tap or row a pass forgets or repeats).
 *
 * <p>Buffers are modelled logically (whole tensors); their capacity is the compiler's concern. Prepared per model
 * (decoded weights); {@link #run} is thread-safe.
 */
public final class DatapathExecutor {

    private final Program program;
    private final IntegerModel model;
    private final Map<String, Layer> layers = new HashMap<>();

    /** Per-layer constants: the node, its input tensor and decoded weights. */
    private record Layer(LayerPlan plan, Node node, TensorInfo input, int[] weights) {
    }

    public DatapathExecutor(Program program, IntegerModel model) {
        if (!program.modelFingerprint().equals(model.fingerprint())) {
            throw new IllegalArgumentException("the program was compiled for model '" + program.model() + "' ("
                    + program.modelFingerprint() + "), not this model (" + model.fingerprint() + ")");
        }
        this.program = program;
        this.model = model;
        for (LayerPlan plan : program.layers()) {
            Node node = model.node(plan.layer());
            TensorInfo in = model.node(node.input()).output();
            int[] w = node.op() instanceof WeightedOp op ? op.weights().decode().toArray() : null;
            layers.put(plan.layer(), new Layer(plan, node, in, w));
        }
    }

    /** The network output for one image (raw bytes, as {@link io.lowbit.core.engine.IntegerEngine} takes them). */
    public int[] run(byte[] image, NodeObserver observer) {
        int[][] buffers = new int[2][];
        int current = 0;
        int[] psum = null;
        int[] centred = null;
        String centredFor = null;
        int[] output = null;
        for (Instruction ins : program.instructions()) {
            if (ins instanceof Instruction.LoadInput) {
                Node in = model.inputNode();
                buffers[0] = ReferenceEngine.input((Input) in.op(), image, model.metadata().name());
                observe(observer, in, buffers[0]);
            } else if (ins instanceof Instruction.ConvPass cp) {
                Layer layer = layers.get(cp.layer());
                if (!cp.layer().equals(centredFor)) {
                    centred = centredPadded(layer, buffers[current]);
                    centredFor = cp.layer();
                    psum = new int[layer.plan().output().elementCount()];
                    buffers[1 - current] = new int[psum.length];
                }
                convPass(layer, cp, centred, psum, buffers[1 - current]);
            } else if (ins instanceof Instruction.PoolPass pp) {
                Layer layer = layers.get(pp.layer());
                TensorInfo out = layer.node().output();
                buffers[1 - current] = layer.node().op() instanceof MaxPool mp
                        ? ReferenceEngine.maxPool(mp, layer.input(), buffers[current], out)
                        : ReferenceEngine.avgPool((AvgPool) layer.node().op(), layer.input(), buffers[current], out);
            } else if (ins instanceof Instruction.SwapBuffers sb) {
                current = 1 - current;
                observe(observer, layers.get(sb.layer()).node(), buffers[current]);
            } else if (ins instanceof Instruction.StoreOutput) {
                output = buffers[current].clone();
            }
        }
        return output;
    }

    private static void observe(NodeObserver observer, Node node, int[] values) {
        if (observer != NodeObserver.NONE) {
            observer.onOutput(node, IntTensor.of(node.output().shape(), values.clone()));
        }
    }

    /** {@code x − Z_in[c]} with the padding as zeros, one {@code Hp×Wp} plane per channel. */
    private static int[] centredPadded(Layer layer, int[] x) {
        LayerPlan p = layer.plan();
        var w = p.window();
        int c = p.input().channels();
        int h = p.input().height();
        int wd = p.input().width();
        int hp = h + w.padTop() + w.padBottom();
        int wp = wd + w.padLeft() + w.padRight();
        int[] out = new int[c * hp * wp];
        for (int ch = 0; ch < c; ch++) {
            int z = layer.input().zeroPoint(ch);
            for (int y = 0; y < h; y++) {
                int src = (ch * h + y) * wd;
                int dst = (ch * hp + y + w.padTop()) * wp + w.padLeft();
                for (int xx = 0; xx < wd; xx++) {
                    out[dst + xx] = x[src + xx] - z;
                }
            }
        }
        return out;
    }

    private static void convPass(Layer layer, Instruction.ConvPass cp, int[] centred, int[] psum, int[] out) {
        LayerPlan p = layer.plan();
        var win = p.window();
        var m = p.mapping();
        int kH = m.kernelH();
        int kW = m.kernelW();
        int sH = win.strideH();
        int sW = win.strideW();
        int hp = p.input().height() + win.padTop() + win.padBottom();
        int wp = p.input().width() + win.padLeft() + win.padRight();
        int outH = p.output().height();
        int outW = p.output().width();
        int inPerGroup = p.input().channels() / p.groups();
        WeightedOp op = (WeightedOp) layer.node().op();
        int tap0 = m.chunkStart(cp.chunk());
        int taps = m.chunkTaps(cp.chunk());
        int[] w = layer.weights();
        for (int o = cp.outStart(); o < cp.outStart() + cp.outCount(); o++) {
            int obase = o * outH * outW;
            if (cp.first()) {
                int bias = op.bias().get(o);
                java.util.Arrays.fill(psum, obase + cp.rowStart() * outW, obase + (cp.rowStart() + cp.rows()) * outW,
                        bias);
            }
            for (int c = cp.inStart(); c < cp.inStart() + cp.inCount(); c++) {
                int plane = c * hp * wp;
                int wbase = (o * inPerGroup + c - cp.group() * inPerGroup) * kH * kW;
                for (int t = tap0; t < tap0 + taps; t++) {
                    int wv = w[wbase + t];
                    if (wv == 0) {
                        continue; // adds nothing; the timing still counts the cycle
                    }
                    int i = t / kW;
                    int j = t % kW;
                    for (int oy = cp.rowStart(); oy < cp.rowStart() + cp.rows(); oy++) {
                        int src = plane + (oy * sH + i) * wp + j;
                        int dst = obase + oy * outW;
                        if (sW == 1) {
                            for (int ox = 0; ox < outW; ox++) {
                                psum[dst + ox] += wv * centred[src + ox];
                            }
                        } else {
                            for (int ox = 0; ox < outW; ox++) {
                                psum[dst + ox] += wv * centred[src + ox * sW];
                            }
                        }
                    }
                }
            }
            if (cp.last()) {
                OutputStage stage = op.outputStage();
                for (int k = obase + cp.rowStart() * outW; k < obase + (cp.rowStart() + cp.rows()) * outW; k++) {
                    out[k] = stage.apply(psum[k], o);
                }
            }
        }
    }
}
