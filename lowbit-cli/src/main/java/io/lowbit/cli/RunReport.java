package io.lowbit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.file.IntegerModelFile;
import io.lowbit.train.loop.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a demo run directory holds, read once for {@link HtmlReport}: the float run ({@code RUN/}), the quantized run
 * ({@code RUN/qat/}) with its integer model, evaluations and simulation. Every part is optional; the report says
 * which step produces a missing one.
 *
 * @param dir          the run directory
 * @param floatSummary {@code summary.json} of the float run
 * @param qatSummary   {@code qat/summary.json}
 * @param floatEval    {@code eval.json}: float model on the test images
 * @param qatEval      {@code qat/eval.json}: fake-quant model
 * @param intEval      {@code qat/eval-int.json}: integer engine
 * @param sim          {@code qat/sim/sim.json}
 * @param synth        {@code qat/synth.json} ({@code lowbit rtl synth --json-out}), optional
 * @param cosim        {@code qat/rtl-cosim.json} ({@code lowbit rtl cosim --json-out}), optional
 * @param dse          {@code qat/dse/dse.json} ({@code lowbit dse --out-dir qat/dse}), optional
 * @param model        {@code qat/model.lbq}
 */
record RunReport(Path dir, JsonNode floatSummary, JsonNode qatSummary, JsonNode floatEval, JsonNode qatEval,
        JsonNode intEval, JsonNode sim, JsonNode synth, JsonNode cosim, JsonNode dse, IntegerModel model) {

    static final String EVAL = "eval.json";
    static final String EVAL_INT = "eval-int.json";
    static final String HTML = "report.html";
    static final String QAT = "qat";
    static final String SYNTH = "synth.json";
    static final String COSIM = "rtl-cosim.json";
    static final String DSE = "dse";

    static RunReport read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a run directory");
        }
        Path qat = dir.resolve(QAT);
        Path lbq = qat.resolve("model.lbq");
        RunReport r = new RunReport(dir, json(dir.resolve("summary.json")), json(qat.resolve("summary.json")),
                json(dir.resolve(EVAL)), json(qat.resolve(EVAL)), json(qat.resolve(EVAL_INT)),
                json(qat.resolve("sim").resolve("sim.json")), json(qat.resolve(SYNTH)),
                json(qat.resolve(COSIM)), json(qat.resolve(DSE).resolve("dse.json")),
                Files.isRegularFile(lbq) ? IntegerModelFile.read(lbq) : null);
        if (r.floatSummary == null && r.qatSummary == null) {
            throw new IllegalArgumentException(dir + " holds neither summary.json nor qat/summary.json: not a run"
                    + " directory of lowbit train or lowbit demo");
        }
        return r;
    }

    private static JsonNode json(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON (" + e.getMessage() + ")", e);
        }
    }

    Path qatDir() {
        return dir.resolve(QAT);
    }
}
