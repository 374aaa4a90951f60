package dev.keyline.platform.session;

import dev.keyline.platform.tenant.Brand;
import java.util.LinkedHashMap;
import java.util.Map;

/** A session's brand override as stored (a JSON object by wire member name), and back. */
final class SessionBrand {
    private SessionBrand() {}

    static Map<String, Object> toMap(Brand brand) {
        if (brand == null) {
            return null;
        }
        Map<String, Object> stored = new LinkedHashMap<>();
        putIfSet(stored, "logo", brand.logo());
        putIfSet(stored, "primary_color", brand.primaryColor());
        putIfSet(stored, "appearance", brand.appearance());
        putIfSet(stored, "hide_keyline", brand.hideKeyline());
        return stored.isEmpty() ? null : stored;
    }

    static Brand fromMap(Map<String, Object> stored) {
        if (stored == null) {
            return null;
        }
        Object hide = stored.get("hide_keyline");
        return new Brand(
                (String) stored.get("logo"),
                (String) stored.get("primary_color"),
                (String) stored.get("appearance"),
                hide instanceof Boolean b ? b : null);
    }

    private static void putIfSet(Map<String, Object> stored, String key, Object value) {
        if (value != null) {
            stored.put(key, value);
        }
    }
}
