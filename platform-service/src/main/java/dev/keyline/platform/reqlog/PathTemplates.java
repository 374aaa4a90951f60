package dev.keyline.platform.reqlog;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the log keeps of an address. The path is kept with its query's keys but never their values (a value may be a
 * token, a filter naming a person, a signature). The template replaces each segment that looks like an id with
 * {@code {id}}, so requests for different users read as one route: a segment is an id when it is all digits, a UUID,
 * holds an {@code @} or a percent escape, or is 8+ characters mixing digits into letters, or 20+ characters that are not
 * words. Words ({@code Users}, {@code v2}, {@code ServiceProviderConfig}) stay.
 */
public final class PathTemplates {
    static final int MAX_LENGTH = 2048;

    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern UUID =
            Pattern.compile("(?i)[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}");
    private static final Pattern WORDS = Pattern.compile("[A-Za-z]+(?:[-_.][A-Za-z]+)*");
    private static final Pattern HAS_DIGIT = Pattern.compile(".*\\d.*");

    private PathTemplates() {}

    /** The path with the query's keys only: {@code /Users?startIndex&count}. */
    public static String path(URI uri) {
        String path = rawPath(uri);
        String query = uri.getRawQuery();
        if (query == null || query.isEmpty()) {
            return cut(path);
        }
        List<String> keys = new ArrayList<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (!key.isEmpty()) {
                keys.add(key);
            }
        }
        return cut(keys.isEmpty() ? path : path + "?" + String.join("&", keys));
    }

    /** The path with ids replaced by {@code {id}}, no query. */
    public static String template(URI uri) {
        return template(rawPath(uri));
    }

    public static String template(String rawPath) {
        String[] segments = rawPath.split("/", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                out.append('/');
            }
            out.append(looksLikeId(segments[i]) ? "{id}" : segments[i]);
        }
        return cut(out.toString());
    }

    static boolean looksLikeId(String segment) {
        if (segment.isEmpty()) {
            return false;
        }
        return DIGITS.matcher(segment).matches()
                || UUID.matcher(segment).matches()
                || segment.indexOf('@') >= 0
                || segment.indexOf('%') >= 0
                || (segment.length() >= 20 && !WORDS.matcher(segment).matches())
                || (segment.length() >= 8 && HAS_DIGIT.matcher(segment).matches());
    }

    private static String rawPath(URI uri) {
        String path = uri.getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    private static String cut(String value) {
        return value.length() <= MAX_LENGTH ? value : value.substring(0, MAX_LENGTH);
    }
}
