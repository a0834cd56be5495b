package io.lowbit.core.model;

import io.lowbit.core.arith.AveragePool;
import io.lowbit.core.arith.FixedPointMultiplier;
import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.OutputClamp;
import io.lowbit.core.arith.PixelNormalization;
import io.lowbit.core.arith.Requantizer;
import io.lowbit.core.arith.ResidualAdd;
import io.lowbit.core.arith.Rounding;
import io.lowbit.core.arith.ShiftRequantizer;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The fingerprint of an {@link IntegerModel}: SHA-256 over a canonical binary encoding of everything in the model —
 * metadata, nodes in order, each node's id, op kind, inputs, output tensor and every op parameter — independent of
 * the file format and its version. Encoding (big-endian, {@link DataOutputStream}): the header string
 * {@code "lowbit-integer-model/fingerprint/1"}; strings as int32 UTF-8 length + bytes; ints as int32; doubles as
 * their IEEE-754 bits; lists as int32 count + items; tensors as shape list + row-major ints; absent values as the
 * string {@code "none"}; op and stage kinds as their file names.
 */
final class ModelFingerprint {

    private static final String HEADER = "lowbit-integer-model/fingerprint/1";

    private final DataOutputStream out;

    private ModelFingerprint(DataOutputStream out) {
        this.out = out;
    }

    static String of(IntegerModel model) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        try (DataOutputStream data = new DataOutputStream(new BufferedOutputStream(
                new DigestOutputStream(OutputStream.nullOutputStream(), sha), 1 << 16))) {
            new ModelFingerprint(data).model(model);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: the sink is a digest
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private void model(IntegerModel m) throws IOException {
        str(HEADER);
        ModelMetadata meta = m.metadata();
        str(meta.name());
        str(meta.source());
        out.writeInt(meta.provenance().size());
        for (Map.Entry<String, String> e : meta.provenance().entrySet()) { // sorted by key
            str(e.getKey());
            str(e.getValue());
        }
        out.writeInt(meta.classNames().size());
        for (String c : meta.classNames()) {
            str(c);
        }
        out.writeInt(m.nodes().size());
        for (Node n : m.nodes()) {
            node(n);
        }
        str(m.outputId());
    }

    private void node(Node n) throws IOException {
        str(n.id());
        str(n.op().kind());
        out.writeInt(n.inputs().size());
        for (String in : n.inputs()) {
            str(in);
        }
        TensorInfo t = n.output();
        ints(t.shape().dims());
        type(t.type());
        ints(t.zeroPoints());
        out.writeInt(t.scales().size());
        for (double s : t.scales()) {
            out.writeLong(Double.doubleToLongBits(s));
        }
        Op op = n.op();
        if (op instanceof Input in) {
            ints(in.shape().dims());
            type(in.type());
            ints(in.zeroPoints());
            normalization(in.normalization());
            if (in.hostTable() != null) { // absent: the encoding of models without a table is unchanged
                str("host_table");
                tensor(in.hostTable());
            }
        } else if (op instanceof Conv2d c) {
            window(c.window());
            out.writeInt(c.groups());
            weighted(c);
        } else if (op instanceof Linear l) {
            weighted(l);
        } else if (op instanceof MaxPool p) {
            window(p.window());
        } else if (op instanceof AvgPool p) {
            window(p.window());
            AveragePool a = p.pool();
            out.writeInt(a.windowCount());
            type(a.input().type());
            out.writeInt(a.input().zeroPoint());
            multiplier(a.multiplier());
            clamp(a.output());
            rounding(a.rounding());
        } else if (op instanceof Add a) {
            ResidualAdd r = a.add();
            type(r.a().type());
            out.writeInt(r.a().zeroPoint());
            type(r.b().type());
            out.writeInt(r.b().zeroPoint());
            out.writeInt(r.multiplierA());
            out.writeInt(r.multiplierB());
            out.writeInt(r.rightShift());
            clamp(r.output());
            rounding(r.rounding());
        } else if (op instanceof ChannelPadSubsample s) {
            out.writeInt(s.stride());
            out.writeInt(s.outChannels());
        } else {
            throw new IllegalStateException("no canonical encoding for " + op.kind());
        }
    }

    private void weighted(WeightedOp op) throws IOException {
        WeightCodes w = op.weights();
        if (w instanceof IntegerWeights iw) {
            str("integer");
            type(iw.type());
            tensor(iw.codes());
        } else if (w instanceof CodebookWeights cw) {
            str("codebook");
            type(cw.levelType());
            ints(cw.levels());
            tensor(cw.indexes());
        }
        tensor(op.bias());
        OutputStage stage = op.outputStage();
        str(stage.kind());
        if (stage instanceof OutputStage.Requantize r) {
            Requantizer q = r.requantizer();
            out.writeInt(q.channels());
            for (int o = 0; o < q.channels(); o++) {
                multiplier(q.multiplier(o));
            }
            clamp(q.output());
            rounding(q.rounding());
        } else if (stage instanceof OutputStage.Shift s) {
            ShiftRequantizer q = s.shift();
            out.writeInt(q.rightShift());
            clamp(q.output());
            rounding(q.rounding());
        }
    }

    private void normalization(PixelNormalization p) throws IOException {
        if (p == null) {
            str("none");
            return;
        }
        str("pixels");
        out.writeInt(p.channels());
        for (int c = 0; c < p.channels(); c++) {
            out.writeLong(Double.doubleToLongBits(p.mean()[c]));
            out.writeLong(Double.doubleToLongBits(p.std()[c]));
        }
    }

    private void window(Window w) throws IOException {
        for (int v : new int[] {w.kernelH(), w.kernelW(), w.strideH(), w.strideW(), w.padTop(), w.padLeft(),
            w.padBottom(), w.padRight()}) {
            out.writeInt(v);
        }
    }

    private void multiplier(FixedPointMultiplier m) throws IOException {
        out.writeInt(m.multiplierQ31());
        out.writeInt(m.rightShift());
    }

    private void clamp(OutputClamp c) throws IOException {
        type(c.type());
        out.writeInt(c.zeroPoint());
        out.writeInt(c.lo());
        out.writeInt(c.hi());
    }

    private void rounding(Rounding r) throws IOException {
        str(r.name());
    }

    private void type(IntType t) throws IOException {
        str(t.toString());
    }

    private void tensor(IntTensor t) throws IOException {
        ints(t.shape().dims());
        for (int i = 0; i < t.size(); i++) {
            out.writeInt(t.get(i));
        }
    }

    private void ints(List<Integer> values) throws IOException {
        out.writeInt(values.size());
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private void str(String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
