package io.lowbit.train.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a training step's time goes, by native operator: the self time of each PyTorch operator name (its own
 * time, its callees' subtracted) summed over a chrome trace written by the PyTorch profiler
 * ({@code JniUtils.startProfile/stopProfile}). Self times add up to the time the operators ran, which on the CPU
 * engine is nearly all of a step (a JFR recording of training finds the Java thread inside native methods); the
 * backward pass is in the same trace, its autograd nodes ({@code MulBackward0}, …) around the operators they run.
 * Callees are found per thread, by nesting of their intervals.
 *
 * @param op          the operator ({@code aten::mul}, {@code SigmoidBackward0}, …)
 * @param calls       how many times it ran
 * @param selfMillis  its total self time, milliseconds
 */
public record OpProfile(String op, long calls, double selfMillis) {

    /** At most this many events are read: a trace of a few training steps has some 10⁴–10⁵. */
    static final int MAX_EVENTS = 5_000_000;

    /** The operators of {@code trace} (a chrome-trace JSON array of complete events), largest self time first. */
    public static List<OpProfile> read(Path trace) throws IOException {
        record Event(String name, long tid, double start, double end) {
        }
        Map<Long, List<Event>> byThread = new HashMap<>();
        int events = 0;
        try (InputStream in = Files.newInputStream(trace);
             JsonParser p = new JsonFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException(trace + ": not a chrome trace (a JSON array of events)");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String name = null;
                String phase = null;
                long tid = 0;
                double ts = Double.NaN;
                double dur = Double.NaN;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    switch (field) {
                        case "name" -> name = p.getValueAsString();
                        case "ph" -> phase = p.getValueAsString();
                        case "tid" -> tid = p.getValueAsLong();
                        case "ts" -> ts = p.getValueAsDouble(Double.NaN);
                        case "dur" -> dur = p.getValueAsDouble(Double.NaN);
                        default -> {
                            if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                                p.skipChildren();
                            }
                        }
                    }
                }
                if (++events > MAX_EVENTS) {
                    throw new IOException(trace + ": more than " + MAX_EVENTS + " events; profile fewer steps");
                }
                if ("X".equals(phase) && name != null && ts >= 0 && dur >= 0) {
                    byThread.computeIfAbsent(tid, t -> new ArrayList<>()).add(new Event(name, tid, ts, ts + dur));
                }
            }
        }
        Map<String, double[]> totals = new HashMap<>(); // name → {calls, self µs}
        for (List<Event> thread : byThread.values()) {
            // outer events first: by start, then the longer one
            thread.sort(Comparator.comparingDouble(Event::start).thenComparing(Comparator.comparingDouble(
                    Event::end).reversed()));
            Deque<Event> open = new ArrayDeque<>();
            Map<Event, Double> childTime = new IdentityHashMap<>();
            for (Event e : thread) {
                while (!open.isEmpty() && open.peek().end() <= e.start()) {
                    open.pop();
                }
                if (!open.isEmpty()) {
                    childTime.merge(open.peek(), e.end() - e.start(), Double::sum);
                }
                open.push(e);
            }
            for (Event e : thread) {
                double[] t = totals.computeIfAbsent(e.name(), k -> new double[2]);
                t[0]++;
                t[1] += Math.max(0, e.end() - e.start() - childTime.getOrDefault(e, 0.0));
            }
        }
        List<OpProfile> ops = new ArrayList<>();
        totals.forEach((name, t) -> ops.add(new OpProfile(name, (long) t[0], t[1] / 1000)));
        ops.sort(Comparator.comparingDouble(OpProfile::selfMillis).reversed());
        return ops;
    }
}
