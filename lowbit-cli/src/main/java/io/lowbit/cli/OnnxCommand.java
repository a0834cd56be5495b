package io.lowbit.cli;

import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.file.IntegerModelFile;
import io.lowbit.core.onnx.FloatOnnxExport;
import io.lowbit.core.onnx.IntegerOnnxExport;
import io.lowbit.train.loop.CheckpointFile;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lowbit onnx}: an integer model file as ONNX, in its exact integer form or dequantized to float. */
@Command(name = "onnx", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write an .lbq integer model as ONNX (opset 17): by default the exact integer form "
                + "(ConvInteger/MatMulInteger and integer requantization; ONNX Runtime gives the lowbit engines' "
                + "outputs bit for bit); --form qlinear uses QLinearConv (ONNX Runtime's int8 path), --form float "
                + "writes the dequantized float network (docs/onnx.md).",
        footer = {"", "Examples:", "  lowbit onnx runs/demo/qat/model.lbq -o model.onnx",
            "  lowbit onnx model.lbq -o model-float.onnx --form float",
            "  lowbit eval --int model.lbq --engine onnxruntime --agree-with fast   (run it and check it)"})
final class OnnxCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "An .lbq integer model file")
    Path modelFile;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The .onnx file to write")
    Path output;

    /** The three ONNX forms of an integer model. */
    enum Form {
        EXACT, QLINEAR, FLOAT
    }

    @Option(names = "--form", defaultValue = "exact", paramLabel = "exact|qlinear|float",
            description = "exact: integer operators, bit-exact; qlinear: QLinearConv (ONNX Runtime's int8 path, float "
                    + "rounding: close, not equal); float: the dequantized float32 network (default: ${DEFAULT-VALUE})")
    Form form;

    @Override
    public Integer call() throws Exception {
        IntegerModel model = IntegerModelFile.read(modelFile);
        String version = System.getProperty("lowbit.commit", "unknown");
        byte[] onnx = switch (form) {
            case EXACT -> IntegerOnnxExport.export(model, IntegerOnnxExport.Form.EXACT, version);
            case QLINEAR -> IntegerOnnxExport.export(model, IntegerOnnxExport.Form.QLINEAR, version);
            case FLOAT -> FloatOnnxExport.export(model, version);
        };
        CheckpointFile.writeAtomically(output, onnx);
        System.out.printf(Locale.ROOT, "%s: %s form of %s (%d nodes in the lowbit graph), %,d bytes; input '%s' %s,"
                + " output '%s'%n", output, form.name().toLowerCase(Locale.ROOT), modelFile, model.nodes().size(),
                onnx.length, IntegerOnnxExport.INPUT, form == Form.FLOAT ? "float32 S_in·(x − Z)" : "raw input bytes",
                IntegerOnnxExport.OUTPUT);
        return 0;
    }
}
