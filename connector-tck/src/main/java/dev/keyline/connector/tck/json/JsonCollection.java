package dev.keyline.connector.tck.json;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The records a {@link JsonApiDouble} serves at one path, in listing order, each a JSON object (maps, lists,
 * strings, numbers, booleans, nulls) with its id in the double's id field. Scriptable while the double runs:
 * a change shows from the next request on. Thread-safe.
 */
public final class JsonCollection {
    private final String path;
    private final String idField;
    private final Map<String, Map<String, Object>> records = new LinkedHashMap<>();

    JsonCollection(String path, String idField) {
        this.path = requireNonNull(path, "path is null");
        this.idField = requireNonNull(idField, "idField is null");
    }

    /** Where it is served, below the double's base URL, for example {@code /groups/g1/members}. */
    public String path() {
        return path;
    }

    /** Appends a record; IllegalArgumentException when it has no id or the id is taken. */
    public synchronized JsonCollection add(Map<String, ?> record) {
        String id = id(record);
        if (records.containsKey(id)) {
            throw new IllegalArgumentException(path + " already holds " + id);
        }
        records.put(id, copy(record));
        return this;
    }

    /** Adds a record or replaces the one with its id, which keeps its place in the listing. */
    public synchronized JsonCollection put(Map<String, ?> record) {
        records.put(id(record), copy(record));
        return this;
    }

    /** Removes the record with this id; false when there was none. */
    public synchronized boolean remove(String id) {
        return records.remove(id) != null;
    }

    public synchronized Optional<Map<String, Object>> get(String id) {
        return Optional.ofNullable(records.get(id));
    }

    /** The records now, in listing order. */
    public synchronized List<Map<String, Object>> records() {
        return List.copyOf(new ArrayList<>(records.values()));
    }

    public synchronized List<String> ids() {
        return List.copyOf(records.keySet());
    }

    public synchronized int size() {
        return records.size();
    }

    public synchronized void clear() {
        records.clear();
    }

    private String id(Map<String, ?> record) {
        requireNonNull(record, "record is null");
        Object id = record.get(idField);
        if (id == null || String.valueOf(id).isEmpty()) {
            throw new IllegalArgumentException("a record of " + path + " without " + idField + ": " + record);
        }
        return String.valueOf(id);
    }

    private static Map<String, Object> copy(Map<String, ?> record) {
        // JSON allows null values, which Map.copyOf does not.
        return Collections.unmodifiableMap(new LinkedHashMap<>(record));
    }

    @Override
    public String toString() {
        return "JsonCollection[" + path + ", " + size() + " records]";
    }
}
