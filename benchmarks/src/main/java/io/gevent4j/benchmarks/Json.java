package io.gevent4j.benchmarks;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A tiny JSON writer for flat result lines (no dependency on a JSON library). */
final class Json {
    private final StringBuilder sb = new StringBuilder("{");
    private boolean first = true;

    private Json key(String k) {
        if (!first) {
            sb.append(", ");
        }
        first = false;
        str(sb, k);
        return this;
    }

    Json put(String k, String v) {
        key(k).sb.append(": ");
        str(sb, v);
        return this;
    }

    Json put(String k, double v) {
        key(k).sb.append(": ").append(num(v));
        return this;
    }

    Json put(String k, long v) {
        key(k).sb.append(": ").append(v);
        return this;
    }

    Json put(String k, boolean v) {
        key(k).sb.append(": ").append(v);
        return this;
    }

    Json putNums(String k, List<Double> vs) {
        key(k).sb.append(": [");
        for (int i = 0; i < vs.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(num(vs.get(i)));
        }
        sb.append(']');
        return this;
    }

    Json putObj(String k, Map<String, Double> m) {
        key(k).sb.append(": ").append(obj(m));
        return this;
    }

    Json putObjs(String k, List<Map<String, Double>> ms) {
        key(k).sb.append(": [");
        for (int i = 0; i < ms.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(obj(ms.get(i)));
        }
        sb.append(']');
        return this;
    }

    /** Adds a raw JSON value (already encoded). */
    Json putRaw(String k, String json) {
        key(k).sb.append(": ").append(json);
        return this;
    }

    @Override
    public String toString() {
        return sb + "}";
    }

    static String obj(Map<String, Double> m) {
        Json j = new Json();
        m.forEach(j::put);
        return j.toString();
    }

    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static void str(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Parses a flat object of numbers, as printed by {@link #obj}: {@code {"k": 1.5, ...}}. */
    static Map<String, Double> parseFlat(String line) {
        String body = line.trim();
        if (!body.startsWith("{") || !body.endsWith("}")) {
            throw new IllegalArgumentException("not a flat JSON object: " + line);
        }
        body = body.substring(1, body.length() - 1).trim();
        Map<String, Double> m = new java.util.LinkedHashMap<>();
        if (body.isEmpty()) {
            return m;
        }
        for (String part : body.split(",")) {
            int colon = part.indexOf(':');
            String k = part.substring(0, colon).trim();
            k = k.substring(1, k.length() - 1);
            String v = part.substring(colon + 1).trim();
            m.put(k, v.equals("null") ? Double.NaN : Double.parseDouble(v));
        }
        return m;
    }
}
