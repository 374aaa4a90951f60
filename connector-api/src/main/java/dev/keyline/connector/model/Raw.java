package dev.keyline.connector.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The provider's payload as a JSON-shaped tree: maps with string keys, lists, strings, numbers, booleans
 * and nulls. Kept as plain Java values because connector-api has no JSON library.
 */
public final class Raw {
    private Raw() {}

    /** A deep, unmodifiable copy that keeps nulls and key order. */
    public static Map<String, Object> copyOf(Map<String, ?> tree) {
        if (tree == null) {
            return null;
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        tree.forEach((k, v) -> copy.put(k, copyValue(v)));
        return Collections.unmodifiableMap(copy);
    }

    private static Object copyValue(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), copyValue(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(copyValue(v)));
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException(
                "not a JSON value: " + value.getClass().getName());
    }
}
