package dev.keyline.platform.connectui;

import dev.keyline.platform.tenant.WebOrigins;
import java.util.List;
import java.util.regex.Pattern;

/** Web origins as they go into security headers, where a stray space or semicolon would change the policy. */
final class Origins {
    // Tenants' origins are normalized when saved; this stricter shape is what may reach a header.
    private static final Pattern ORIGIN =
            Pattern.compile("https?://(\\[[0-9a-f:.]+]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(:[0-9]{1,5})?");

    private Origins() {}

    static boolean isOrigin(String value) {
        return value != null && ORIGIN.matcher(value).matches();
    }

    /** The origins that are safe to put into a header, in their order. */
    static List<String> usable(List<String> origins) {
        return origins.stream().filter(Origins::isOrigin).distinct().toList();
    }

    /** The {@code frame-ancestors} sources: exactly these origins, or nowhere. */
    static String frameAncestors(List<String> origins) {
        List<String> usable = usable(origins);
        return usable.isEmpty() ? "'none'" : String.join(" ", usable);
    }

    /**
     * The origin of an absolute URL, such as the configured connect URL, spelled as a browser sends it (a default
     * port dropped), or null when it has none.
     */
    static String originOf(String url) {
        return WebOrigins.ofUrl(url).filter(Origins::isOrigin).orElse(null);
    }

    /** {@code ["https://a", "https://b"]}; the values are {@link #isOrigin} origins, which need no escaping. */
    static String jsonArray(List<String> origins) {
        return usable(origins).stream()
                .map(o -> "\"" + o + "\"")
                .reduce((a, b) -> a + "," + b)
                .map(s -> "[" + s + "]")
                .orElse("[]");
    }
}
