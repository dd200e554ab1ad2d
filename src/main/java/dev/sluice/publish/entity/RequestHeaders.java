package dev.sluice.publish.entity;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The headers of one publish request (HTTP headers, or one entry of a batch), names case-insensitive. */
public final class RequestHeaders {

    private final Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    public RequestHeaders(Map<String, List<String>> headers) {
        headers.forEach((name, values) -> byName.merge(name, List.copyOf(values), (a, b) -> {
            var merged = new java.util.ArrayList<>(a);
            merged.addAll(b);
            return merged;
        }));
    }

    public Optional<String> first(String name) {
        List<String> values = byName.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0))
                .map(String::trim);
    }

    public Map<String, List<String>> all() {
        return byName;
    }

    public static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
