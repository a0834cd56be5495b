package io.lowbit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.lowbit.core.storage.LayerStorage;
import io.lowbit.core.storage.StorageReport;
import java.util.Base64;
import java.util.Locale;

/**
 * Renders a {@link RunReport} as one self-contained HTML file (PNGs embedded as data URIs, no scripts, no network),
 * so it can be mailed and opened offline. Every number comes from a file of the run; a section whose file is missing
 * says which command produces it.
 */
final class HtmlReport {

    /** XC7Z020 capacity and the paper's Table 5 usage (papers.md §1.6). */
    private static final long[][] XC7Z020 = {{53_200, 42_416}, {106_400, 22_498}, {220, 5}, {140, 120}};

    private final StringBuilder h = new StringBuilder();
    private final RunReport r;

    private HtmlReport(RunReport r) {
        this.r = r;
    }

    static String render(RunReport r, Path weightsPng, String version) throws IOException {
        return new HtmlReport(r).build(weightsPng, version);
    }

    private String build(Path weightsPng, String version) throws IOException {
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>lowbit report: ")
                .append(esc(r.dir().toString())).append("</title>\n<style>")
                .append("body{font-family:sans-serif;max-width:1500px;margin:1em auto;padding:0 1em;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:3px 8px;")
                .append("text-align:right}th{background:#eee}td:first-child,th:first-child{text-align:left}")
                .append("figure{margin:.5em 0}figcaption{font-size:90%;color:#555}img{max-width:100%;border:1px solid #ddd}.missing{color:#a00}code{background:#f4f4f4}")
                .append("</style></head><body>\n");
        h.append("<h1>lowbit report</h1>\n<p>Run directory <code>").append(esc(r.dir().toString()))
                .append("</code>; report written by ").append(esc(version)).append(".</p>\n");
        run();
        accuracy();
        curves();
        weights(weightsPng);
        size();
        accelerator();
        rtl();
        resources();
        designSpace();
        commands();
        h.append("</body></html>\n");
        return h.toString();
    }

    /** What was trained, on what, for how long: from the runs' summary.json. */
    private void run() {
        h.append("<table id=\"run\"><tr><th>run</th><th>model</th><th>dataset</th><th>training images</th>"
                + "<th>epochs</th><th>quantization</th><th>seed</th><th>best test accuracy (during training)</th>"
                + "</tr>\n");
        String[] names = {"float", "quantization-aware"};
        JsonNode[] runs = {r.floatSummary(), r.qatSummary()};
        for (int i = 0; i < runs.length; i++) {
            JsonNode s = runs[i];
            if (s == null) {
                continue;
            }
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%,d</td><td>%d</td>"
                    + "<td>%s</td><td>%s</td><td>%s (%d test images)</td></tr>%n", names[i], esc(text(s, "model")),
                    esc(text(s, "dataset")), s.get("trainImages").asLong(), s.get("epochsDone").asInt(),
                    i == 0 ? "float" : esc(quantOf(s)), esc(text(s, "seed")),
                    pct(s.get("bestTestAccuracy").asDouble()), s.get("testImages").asInt()));
        }
        h.append("</table>\n");
    }

    /** The --quant argument of a run's command line. */
    private static String quantOf(JsonNode summary) {
        String[] args = text(summary, "commandLine").split(" ");
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--quant")) {
                return args[i + 1];
            }
        }
        return "?";
    }

    private void accuracy() {
        h.append("<h2 id=\"accuracy\">Accuracy</h2>\n<table><tr><th>model</th><th>evaluated by</th>")
                .append("<th>test images</th><th>top-1 accuracy</th><th>source</th></tr>\n");
        row("float", "DJL (PyTorch CPU)", r.floatEval(), "eval.json", "lowbit eval RUN/best.lbck --json-out");
        row("quantized, fake-quant", "DJL (PyTorch CPU)", r.qatEval(), "qat/eval.json",
                "lowbit eval RUN/qat/best.lbck --json-out");
        row("quantized, integer engine", "lowbit-core " + text(r.intEval(), "engine") + " engine", r.intEval(),
                "qat/eval-int.json", "lowbit eval --int RUN/qat/model.lbq --json-out");
        JsonNode check = r.sim() == null ? null : r.sim().get("check");
        if (check != null) {
            h.append("<tr><td>quantized, accelerator simulator</td><td>")
                    .append(esc(r.sim().get("accelerator").get("name").asText())).append(" (")
                    .append(check.get("bitExact").asBoolean() ? "bit-exact with the engine" : "<b>NOT bit-exact</b>")
                    .append(")</td><td>").append(check.get("images").asInt()).append("</td><td>")
                    .append(pct(check.get("accuracy").asDouble())).append("</td><td>qat/sim/sim.json</td></tr>\n");
        } else {
            missingRow("quantized, accelerator simulator", "lowbit sim RUN/qat/model.lbq --images N --out-dir RUN/qat/sim");
        }
        h.append("</table>\n<p>Rows evaluated on different numbers of test images are not directly comparable; the "
                + "integer engine and the simulator use the first images of the same test set as the fake-quant "
                + "row.</p>\n");
    }

    private void row(String what, String by, JsonNode eval, String file, String command) {
        if (eval == null) {
            missingRow(what, command);
            return;
        }
        h.append("<tr><td>").append(what).append("</td><td>").append(esc(by)).append("</td><td>")
                .append(eval.get("images").asInt()).append("</td><td>").append(pct(eval.get("accuracy").asDouble()))
                .append("</td><td>").append(file).append("</td></tr>\n");
    }

    private void missingRow(String what, String command) {
        h.append("<tr><td>").append(what).append("</td><td colspan=\"4\" class=\"missing\">not produced (run <code>")
                .append(esc(command)).append("</code>)</td></tr>\n");
    }

    private void curves() throws IOException {
        h.append("<h2 id=\"curves\">Training curves</h2>\n");
        image(r.dir().resolve("curves.png"), "float training", "lowbit train");
        image(r.qatDir().resolve("curves.png"), "quantization-aware fine-tuning", "lowbit train --init --quant");
    }

    private void weights(Path png) throws IOException {
        h.append("<h2 id=\"weights\">Weights before and after quantization</h2>\n<p>Histogram: the full-precision "
                + "(BN-folded) weights the quantizer sees at the end of fine-tuning. Red lines: the quantized values "
                + "of the exported integer model at their real value, height proportional to how many weights take "
                + "each (the tallest scaled to the histogram's peak).</p>\n");
        image(png, "weight histograms with codebook levels", "lowbit report (needs qat/best.lbck and qat/model.lbq)");
    }

    private void size() {
        h.append("<h2 id=\"size\">Model size</h2>\n");
        if (r.model() == null) {
            h.append("<p class=\"missing\">no integer model (run <code>lowbit export RUN/qat/best.lbck -o "
                    + "RUN/qat/model.lbq</code>)</p>\n");
            return;
        }
        StorageReport storage = StorageReport.of(r.model());
        h.append("<p>Per layer the smaller of dense storage (a b-bit index or code per weight) and the relative-index "
                + "sparse encoding of the non-zero weights (docs/storage.md), plus the codebook and an int32 bias per "
                + "output channel, against float32 weights and biases (<code>lowbit size</code>).</p>\n<table><tr>"
                + "<th>layer</th><th>weights</th><th>zero</th><th>bits/weight</th><th>encoding</th><th>codebook bits"
                + "</th><th>bytes</th><th>float32 bytes</th><th>compression</th></tr>\n");
        for (LayerStorage s : storage.layers()) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d</td><td>%.1f %%</td><td>%d</td><td>%s</td>"
                    + "<td>%d</td><td>%,d</td><td>%,d</td><td>%.1f×</td></tr>%n", esc(s.layer()), s.weights(),
                    100 * s.prunedFraction(), s.valueBits(), s.sparseIsSmaller() ? "relative index, " + s.gapBits()
                    + "-bit gaps" : "dense", s.codebookBits(), (s.bits() + 7) / 8, s.float32Bits() / 8,
                    s.compression()));
        }
        h.append(String.format(Locale.ROOT, "<tr><th>total</th><th></th><th></th><th></th><th></th><th></th>"
                + "<th>%,d</th><th>%,d</th><th>%.1f×</th></tr>%n</table>%n", (storage.bits() + 7) / 8,
                storage.float32Bits() / 8, storage.compression()));
    }

    private void accelerator() throws IOException {
        h.append("<h2 id=\"accelerator\">Accelerator simulation</h2>\n");
        if (r.sim() == null) {
            h.append("<p class=\"missing\">not produced (run <code>lowbit sim RUN/qat/model.lbq --out-dir "
                    + "RUN/qat/sim</code>)</p>\n");
            return;
        }
        JsonNode t = r.sim().get("total");
        JsonNode a = r.sim().get("accelerator");
        h.append("<p>").append(esc(a.get("name").asText())).append(": ").append(esc(a.get("description").asText()))
                .append(". Op counting: ").append(esc(r.sim().get("opCounting").asText())).append(".</p>\n");
        h.append(String.format(Locale.ROOT, "<table><tr><th>cycles</th><th>latency</th><th>frames/s</th>"
                + "<th>GOP/s</th><th>peak GOP/s</th><th>utilization</th><th>DRAM bytes/image</th>"
                + "<th>analytic estimate</th></tr><tr><td>%,d</td><td>%.3f ms</td><td>%.1f</td><td>%.2f</td>"
                + "<td>%.1f</td><td>%.1f %%</td><td>%,d</td><td>%,d (%+.2f %%)</td></tr></table>%n",
                t.get("cycles").asLong(), t.get("latencyMs").asDouble(), t.get("framesPerSecond").asDouble(),
                t.get("gops").asDouble(), t.get("peakGops").asDouble(), 100 * t.get("utilization").asDouble(),
                t.get("dramBytes").asLong(), t.get("analyticCycles").asLong(), 100 * t.get("analyticError").asDouble()));
        image(r.qatDir().resolve("sim").resolve("sim-layers.png"), "per-layer cycles and utilization", "lowbit sim");
        h.append("<table><tr><th>layer</th><th>kind</th><th>mapping</th><th>MACs</th><th>passes</th><th>cycles</th>"
                + "<th>stall</th><th>drain</th><th>utilization</th><th>DRAM bytes</th></tr>\n");
        for (JsonNode l : r.sim().get("layers")) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%,d</td><td>%d</td>"
                    + "<td>%,d</td><td>%,d</td><td>%,d</td><td>%.1f %%</td><td>%,d</td></tr>%n",
                    esc(l.get("layer").asText()), esc(l.get("kind").asText()), esc(l.get("mapping").asText()),
                    l.get("macs").asLong(), l.get("passes").asInt(), l.get("cycles").asLong(),
                    l.get("stallCycles").asLong(), l.get("drainCycles").asLong(),
                    100 * l.get("utilization").asDouble(), l.get("dramBytes").asLong()));
        }
        h.append("</table>\n");
    }

    private void rtl() {
        h.append("<h2 id=\"rtl\">RTL co-simulation (Verilator)</h2>\n");
        if (r.cosim() == null || !r.cosim().isArray() || r.cosim().isEmpty()) {
            h.append("<p class=\"missing\">not produced (run <code>lowbit rtl cosim RUN/qat/model.lbq --json-out "
                    + "RUN/qat/" + RunReport.COSIM + "</code>; needs verilator)</p>\n");
            return;
        }
        h.append("<p>The generated Verilog of the accelerator runs one layer of this model on the first test image; "
                + "its outputs are compared with the integer engine and its cycles with the simulator's timing model "
                + "(the two stated differences of docs/rtl.md §3: the first preload and the chain latency).</p>\n");
        h.append("<table><tr><th>layer</th><th>outputs</th><th>mismatches</th><th>passes</th><th>RTL cycles</th>"
                + "<th>simulator cycles (layer alone)</th><th>Verilator build + run</th></tr>\n");
        for (JsonNode l : r.cosim()) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d</td><td>%,d</td><td>%,d</td><td>%,d</td>"
                    + "<td>%,d</td><td>%.1f s</td></tr>%n", esc(l.get("layer").asText()), l.get("elements").asLong(),
                    l.get("mismatches").asLong(), l.get("passes").asLong(), l.get("rtl").get("cycles").asLong(),
                    l.get("simulator").get("cycles").asLong(),
                    (l.get("buildMillis").asLong() + l.get("runMillis").asLong()) / 1000.0));
        }
        h.append("</table>\n");
    }

    private void resources() {
        h.append("<h2 id=\"resources\">FPGA resources (XC7Z020)</h2>\n");
        String bram = "—";
        if (r.sim() != null) {
            JsonNode a = r.sim().get("accelerator");
            JsonNode b = a.get("buffers");
            int modules = a.get("convModules").asInt();
            long blocks = 2 * blocks(b.get("featureMapBytes").asLong()) + modules
                    * blocks(b.get("psumBytesPerModule").asLong()) + 2 * blocks(b.get("weightBankBytes").asLong());
            bram = blocks + " (buffers of the configuration)";
        }
        String[] names = {"LUT", "FF", "DSP", "BRAM36"};
        String[] ours = {"— (run <code>lowbit rtl synth --json-out RUN/qat/synth.json</code>; needs yosys)", "—", "—",
            esc(bram)};
        if (r.synth() != null) {
            JsonNode s = r.synth().get("report");
            String what = String.format(Locale.ROOT, " (Yosys, conv unit PO=%d PI=%d%s)", s.get("po").asInt(),
                    s.get("pi").asInt(), s.get("dsp").asBoolean() ? "" : ", LUT multipliers");
            ours = new String[] {String.format(Locale.ROOT, "%,d%s", s.get("luts").asLong(), what),
                String.format(Locale.ROOT, "%,d", s.get("flipFlops").asLong()),
                String.format(Locale.ROOT, "%,d", s.get("dsps").asLong()),
                esc(bram) + String.format(Locale.ROOT, "; conv unit alone %.1f", s.get("bram36").asDouble())};
        }
        h.append("<table><tr><th>resource</th><th>this design</th><th>paper (Table 5)</th><th>XC7Z020</th></tr>\n");
        for (int i = 0; i < names.length; i++) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%,d</td><td>%,d</td></tr>%n",
                    names[i], ours[i], XC7Z020[i][1], XC7Z020[i][0]));
        }
        h.append("</table>\n");
    }

    /** The paper's design beside the fastest one {@code lowbit dse} found within the device, and the front. */
    private void designSpace() throws IOException {
        h.append("<h2 id=\"dse\">Design-space exploration</h2>\n");
        JsonNode d = r.dse();
        if (d == null) {
            h.append("<p class=\"missing\">not produced (run <code>lowbit dse RUN/qat/model.lbq --out-dir "
                    + "RUN/qat/dse</code>)</p>\n");
            return;
        }
        JsonNode device = d.get("device");
        h.append(String.format(Locale.ROOT, "<p>%,d accelerator configurations for this model on the %s at %.0f MHz,"
                + " each with resources estimated by the Yosys-calibrated model (conv unit; a design fits with %.0f %%"
                + " of the LUTs and flip-flops kept free) and cycles from the simulator's timing model, in %.0f s. "
                + "Estimates, not syntheses (docs/accelerator.md §6–7).</p>%n", d.get("candidates").asInt(),
                esc(device.get("name").asText()), d.get("clockMHz").asDouble(), 100 * d.get("margin").asDouble(),
                d.get("wallSeconds").asDouble()));
        h.append("<table><tr><th></th><th>design</th><th>modules × RCAs × PEs</th><th>requantizers</th>"
                + "<th>PE style</th><th>multipliers</th><th>GOP/s</th><th>× paper</th><th>frames/s</th><th>LUT</th>"
                + "<th>FF</th><th>DSP</th><th>BRAM36</th><th>fits</th></tr>\n");
        String[] labels = {"paper's design", "fastest found"};
        JsonNode[] points = {d.get("reference"), d.get("best")};
        for (int i = 0; i < points.length; i++) {
            JsonNode p = points[i];
            if (p == null || p.isNull()) {
                h.append("<tr><td>").append(labels[i]).append("</td><td colspan=\"13\">none fits</td></tr>\n");
                continue;
            }
            JsonNode res = p.get("resources");
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%d × %d × %d</td><td>%d</td>"
                    + "<td>%s</td><td>%s</td><td>%.1f</td><td>%.2f×</td><td>%.1f</td><td>%,d</td><td>%,d</td>"
                    + "<td>%d</td><td>%.1f</td><td>%s</td></tr>%n", labels[i], esc(p.get("name").asText()),
                    p.get("convModules").asInt(), p.get("rcasPerModule").asInt(), p.get("pesPerRca").asInt(),
                    p.get("requantizersPerModule").asInt(), esc(p.get("peStyle").asText()),
                    esc(p.get("multipliers").asText()), p.get("gops").asDouble(), p.get("speedup").asDouble(),
                    p.get("framesPerSecond").asDouble(), res.get("luts").asLong(), res.get("flipFlops").asLong(),
                    res.get("dsps").asLong(), res.get("bram36").asDouble(), p.get("fits").asBoolean() ? "yes" : "no"));
        }
        h.append("</table>\n");
        image(r.qatDir().resolve(RunReport.DSE).resolve("pareto.png"), "simulated GOP/s vs estimated LUTs of every"
                + " configuration, with the Pareto front of the fitting ones", "lowbit dse --out-dir");
    }

    private static long blocks(long bytes) {
        return (bytes + 4095) / 4096;
    }

    private void commands() {
        h.append("<h2 id=\"commands\">Commands and versions</h2>\n<ul>\n");
        for (JsonNode s : new JsonNode[] {r.floatSummary(), r.qatSummary()}) {
            if (s != null) {
                h.append("<li><code>").append(esc(text(s, "commandLine"))).append("</code> — ")
                        .append(esc(text(s, "versions"))).append(", ").append(s.get("epochsDone").asInt())
                        .append(" epoch(s), seed ").append(esc(text(s, "seed"))).append("</li>\n");
            }
        }
        if (r.sim() != null) {
            h.append("<li><code>").append(esc(text(r.sim(), "command"))).append("</code></li>\n");
        }
        h.append("</ul>\n");
    }

    private void image(Path png, String alt, String producer) throws IOException {
        if (png == null || !Files.isRegularFile(png)) {
            h.append("<p class=\"missing\">").append(esc(alt)).append(": not produced (<code>").append(esc(producer))
                    .append("</code>)</p>\n");
            return;
        }
        h.append("<figure><img alt=\"").append(esc(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(Files.readAllBytes(png))).append("\"><figcaption>")
                .append(esc(alt)).append("</figcaption></figure>\n");
    }

    private static String text(JsonNode n, String field) {
        return n == null || n.get(field) == null ? "?" : n.get(field).asText();
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
