package io.lowbit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lowbit.core.arith.FixedPointFormat;
import io.lowbit.train.loop.Json;
import io.lowbit.train.loop.RunDirectory;
import io.lowbit.train.loop.TrainConfig;
import io.lowbit.train.loop.TrainingSummary;
import io.lowbit.train.quant.QuantMethod;
import io.lowbit.train.quant.QuantMethods;
import io.lowbit.train.quant.QuantScheme;
import io.lowbit.train.quant.QuantSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Training runs side by side: what each trained (model, quantization, budget, seed) and what it reached, with the
 * difference to the float run of the same model — the table of a quantization sweep ({@code lowbit compare}).
 */
record RunComparison(List<RunComparison.Row> rows) {

    /** The learned methods, whose default scheme names weight and activation bits {@code w}, {@code a} (default 4). */
    private static final Set<String> LEARNED = Set.of("lsq", "lsfq", "pact", "dorefa");

    /**
     * One run. {@code weightBits}/{@code activationBits} are those of the default scheme (first/last-layer
     * overrides aside), null for float; for {@code clipq} the weight bits are the index bits {@code b}.
     */
    record Row(String run, String model, double width, String quant, String method, String variant,
               Integer weightBits, Integer activationBits, int epochsDone, int epochs, long seed, double bestAccuracy,
               double finalAccuracy, double trainSeconds, String status) {

        /** The method and, if any, its variant: a line of the accuracy-vs-bits chart ("pact", "pact wgrid=dorefa"). */
        String series() {
            return variant.isEmpty() ? method : method + " " + variant;
        }

        boolean isFloat() {
            return quant == null;
        }

        /** "W4A4", "W2A8", or "float". */
        String bitsLabel() {
            return isFloat() ? "float" : "W" + weightBits + "A" + activationBits;
        }
    }

    /** Reads each run directory's {@code config.json} and, once an epoch has finished, {@code summary.json}. */
    static RunComparison read(List<Path> runDirs) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Path dir : runDirs) {
            RunDirectory run = new RunDirectory(dir);
            TrainConfig c = readJson(run.config(), TrainConfig.class, "no run in " + dir);
            TrainingSummary s = Files.isRegularFile(run.summaryJson())
                    ? readJson(run.summaryJson(), TrainingSummary.class, "") : null;
            Integer w = null;
            Integer a = null;
            String method = "float";
            String variant = "";
            if (c.quant() != null) {
                QuantScheme q = c.quantSpec().defaults();
                method = q.method();
                variant = variant(QuantSpec.parse(c.quant()).defaults()); // as written: no filled-in defaults
                if (LEARNED.contains(method)) {
                    w = q.intParam("w", 4, 1, 32);
                    a = q.intParam("a", 4, 1, 32);
                } else if (method.equals("fixed")) {
                    int bits = FixedPointFormat.parse(q.get("fmt", "Q3.5")).totalBits();
                    w = q.params().containsKey("w") ? FixedPointFormat.parse(q.get("w", "")).totalBits() : bits;
                    a = q.params().containsKey("a") ? FixedPointFormat.parse(q.get("a", "")).totalBits() : bits;
                } else if (method.equals("clipq")) {
                    w = q.intParam("b", 2, 1, 32);
                    String act = q.get("act", q.get("fmt", "Q3.5"));
                    a = act.equalsIgnoreCase("none") ? 32 : FixedPointFormat.parse(act).totalBits();
                }
            }
            rows.add(s == null // started, no epoch finished yet
                    ? new Row(dir.getFileName().toString(), c.model(), c.width(), c.quant(), method, variant, w, a, 0,
                            c.epochs(), c.seed(), Double.NaN, Double.NaN, 0, "started")
                    : new Row(dir.getFileName().toString(), c.model(), c.width(), c.quant(), method, variant, w, a,
                            s.epochsDone(), s.epochs(), c.seed(), s.bestTestAccuracy(), s.finalTestAccuracy(),
                            s.trainSeconds(), s.status()));
        }
        return new RunComparison(List.copyOf(rows));
    }

    /**
     * The default scheme's parameters other than those that set its bits ({@code w}, {@code a}; clipq's {@code b};
     * fixed's formats) and those written with their default value ({@link QuantMethod#defaults}), sorted: runs of
     * one method with different settings ({@code alpha0}, {@code wgrid}, …) are different lines of a chart, and
     * {@code alpha0=10} is PACT's default, not a variant.
     */
    static String variant(QuantScheme q) {
        Set<String> bitKeys = switch (q.method()) {
            case "clipq" -> Set.of("b");
            case "fixed" -> Set.of("fmt", "w", "a");
            default -> Set.of("w", "a");
        };
        Map<String, String> defaults = QuantMethods.forName(q.method()).defaults();
        return q.params().entrySet().stream().filter(e -> !bitKeys.contains(e.getKey()))
                .filter(e -> !sameValue(e.getValue(), defaults.get(e.getKey())))
                .sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /** Equal as written (ignoring case) or as numbers: {@code 10} and {@code 10.0}. */
    static boolean sameValue(String value, String dflt) {
        if (dflt == null) {
            return false;
        }
        if (value.equalsIgnoreCase(dflt)) {
            return true;
        }
        try {
            return Double.parseDouble(value) == Double.parseDouble(dflt);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static <T> T readJson(Path file, Class<T> type, String missing) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(missing + " (" + file + " does not exist)");
        }
        try {
            return Json.MAPPER.readValue(file.toFile(), type);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not a lowbit " + file.getFileName() + " (" + e.getOriginalMessage() + ")");
        }
    }

    /** The float run of the same model and width, or null. */
    Row baselineOf(Row r) {
        for (Row b : rows) {
            if (b.isFloat() && b.model().equals(r.model()) && b.width() == r.width()) {
                return b;
            }
        }
        return null;
    }

    /** A Markdown table: one line per run, the final accuracy's difference to the float run in points. */
    /**
     * Runs that differ only in their seed (same model, width, quantization and epoch budget; at least one epoch
     * done each): the spread a single-seed comparison has to be read against.
     *
     * @param first    the group's first run (its configuration)
     * @param seeds    their seeds
     * @param finals   their final test accuracies, fractions
     */
    record SeedGroup(Row first, List<Long> seeds, List<Double> finals) {

        double mean() {
            return RunComparison.mean(finals);
        }

        double sd() {
            return sampleSd(finals);
        }
    }

    static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Sample standard deviation (n − 1); 0 for fewer than two values. */
    static double sampleSd(List<Double> v) {
        if (v.size() < 2) {
            return 0;
        }
        double m = mean(v);
        return Math.sqrt(v.stream().mapToDouble(f -> (f - m) * (f - m)).sum() / (v.size() - 1));
    }

    /** The groups of two or more seeds, in the order of their first run. */
    List<SeedGroup> seedGroups() {
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.epochsDone() > 0) {
                groups.computeIfAbsent(r.model() + "@" + r.width() + "|" + r.quant() + "|" + r.epochs(),
                        k -> new ArrayList<>()).add(r);
            }
        }
        List<SeedGroup> out = new ArrayList<>();
        for (List<Row> g : groups.values()) {
            if (g.stream().map(Row::seed).distinct().count() >= 2) {
                out.add(new SeedGroup(g.get(0), g.stream().map(Row::seed).toList(),
                        g.stream().map(Row::finalAccuracy).toList()));
            }
        }
        return out;
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| run | model | quantization | bits | epochs | seed | final top-1 | best top-1 | vs float |"
                + " train time | status |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            Row b = baselineOf(r);
            String delta = r.isFloat() || b == null || r.epochsDone() == 0 ? "" : String.format(Locale.ROOT, "%+.2f",
                    100 * (r.finalAccuracy() - b.finalAccuracy()));
            sb.append(String.format(Locale.ROOT,
                    "| %s | %s@%s | %s | %s | %d/%d | %d | %s | %s | %s | %s | %s |%n", r.run(), r.model(),
                    trim(r.width()), quantLabel(r.quant()), r.bitsLabel(),
                    r.epochsDone(), r.epochs(), r.seed(), percent(r.finalAccuracy()), percent(r.bestAccuracy()), delta,
                    duration(r.trainSeconds()), r.status()));
        }
        List<SeedGroup> groups = seedGroups();
        if (!groups.isEmpty()) {
            sb.append("\n| quantization | bits | seeds | final top-1, mean ± sd | range | vs float (mean) |\n"
                    + "|---|---|---|---|---|---|\n");
            for (SeedGroup g : groups) {
                Row r = g.first();
                SeedGroup base = r.isFloat() ? null : groups.stream().filter(f -> f.first().isFloat()
                        && f.first().model().equals(r.model()) && f.first().width() == r.width()).findFirst()
                        .orElse(null);
                Row b = baselineOf(r);
                double floatMean = base != null ? base.mean() : b != null ? b.finalAccuracy() : Double.NaN;
                String delta = r.isFloat() || Double.isNaN(floatMean) ? "" : String.format(Locale.ROOT, "%+.2f",
                        100 * (g.mean() - floatMean));
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f ± %.2f %% | %s – %s | %s |%n",
                        quantLabel(r.quant()), r.bitsLabel(), g.seeds().stream().map(String::valueOf)
                                .collect(Collectors.joining(", ")), 100 * g.mean(), 100 * g.sd(),
                        percent(g.finals().stream().mapToDouble(Double::doubleValue).min().orElseThrow()),
                        percent(g.finals().stream().mapToDouble(Double::doubleValue).max().orElseThrow()), delta));
            }
        }
        return sb.toString();
    }

    /**
     * {@code quant} without the per-layer rules that repeat the default scheme (e.g. a search's rules for the layers
     * it left at the default: {@code p=0.2000} there is {@code p=0.2}). Only when every rule names one layer, so
     * that dropping a rule cannot let another one match; otherwise, and for float, the text as given.
     */
    static String compactSpec(String quant) {
        if (quant == null || quant.trim().startsWith("@")) { // a spec file: shown as given, not read
            return quant;
        }
        QuantSpec spec;
        try {
            spec = QuantSpec.parse(quant);
        } catch (IllegalArgumentException e) {
            return quant;
        }
        StringBuilder sb = new StringBuilder(spec.defaults().toString());
        for (QuantSpec.Rule r : spec.overrides()) {
            String sel = r.selector();
            if (sel.contains("*") || sel.equals("first") || sel.equals("last")) {
                return quant;
            }
            if (!sameScheme(r.scheme(), spec.defaults())) {
                sb.append(';').append(sel).append('=').append(r.scheme());
            }
        }
        return sb.toString();
    }

    /** The quantization column of a table: "float", or the compact spec as code. */
    static String quantLabel(String quant) {
        return quant == null ? "float" : "`" + compactSpec(quant) + "`";
    }

    private static boolean sameScheme(QuantScheme a, QuantScheme b) {
        if (!a.method().equals(b.method()) || !a.params().keySet().equals(b.params().keySet())) {
            return false;
        }
        for (var e : a.params().entrySet()) {
            String x = e.getValue();
            String y = b.params().get(e.getKey());
            if (!x.equals(y) && !sameNumber(x, y)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameNumber(String x, String y) {
        try {
            return Double.parseDouble(x) == Double.parseDouble(y);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String percent(double accuracy) {
        return Double.isNaN(accuracy) ? "—" : String.format(Locale.ROOT, "%.2f %%", 100 * accuracy);
    }

    static String trim(double width) {
        return width == Math.rint(width) ? Integer.toString((int) width) : Double.toString(width);
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
