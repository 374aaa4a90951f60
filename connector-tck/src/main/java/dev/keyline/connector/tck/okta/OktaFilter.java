package dev.keyline.connector.tck.okta;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Okta's {@code filter} and {@code search} expression language on {@code GET /api/v1/users} that a
 * directory reader uses: comparisons {@code <attribute> <op> "<value>"} joined by {@code and} or by {@code or}
 * (not both in one expression, no parentheses). {@code eq} on text ignores case, as Okta's values do; {@code gt},
 * {@code ge}, {@code lt} and {@code le} compare times ({@code lastUpdated}). Anything else is a 400 in Okta's
 * {@code E0000031} shape, so a client that builds a wrong expression finds out here as it would there.
 */
final class OktaFilter {
    private static final Pattern TERM =
            Pattern.compile("\\s*([A-Za-z][A-Za-z0-9_.]*)\\s+(eq|gt|ge|lt|le|sw)\\s+\"((?:[^\"\\\\]|\\\\.)*)\"\\s*");

    private OktaFilter() {}

    /** A predicate on a user's JSON shape; IllegalArgumentException for an expression it cannot read. */
    static Predicate<Map<String, Object>> parse(String expression) {
        boolean or = expression.contains(" or ");
        String[] parts = expression.split(or ? " or " : " and ");
        List<Predicate<Map<String, Object>>> terms = new ArrayList<>();
        for (String part : parts) {
            Matcher m = TERM.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("Invalid search criteria.");
            }
            terms.add(term(m.group(1), m.group(2), m.group(3).replace("\\\"", "\"")));
        }
        return user ->
                or ? terms.stream().anyMatch(t -> t.test(user)) : terms.stream().allMatch(t -> t.test(user));
    }

    /** Whether the expression names a user's status (Okta then lists DEPROVISIONED users only if they match). */
    static boolean namesStatus(String expression) {
        return expression.matches("(?s).*\\bstatus\\s+(eq|sw)\\b.*");
    }

    private static Predicate<Map<String, Object>> term(String attribute, String op, String value) {
        return user -> {
            Object actual = lookup(user, attribute);
            if (actual == null) {
                return false;
            }
            String text = String.valueOf(actual);
            return switch (op) {
                case "eq" -> text.equalsIgnoreCase(value);
                case "sw" -> text.toLowerCase(Locale.ROOT).startsWith(value.toLowerCase(Locale.ROOT));
                default -> compareTimes(text, op, value);
            };
        };
    }

    private static boolean compareTimes(String actual, String op, String value) {
        int c = Instant.parse(actual).compareTo(Instant.parse(value));
        return switch (op) {
            case "gt" -> c > 0;
            case "ge" -> c >= 0;
            case "lt" -> c < 0;
            default -> c <= 0;
        };
    }

    @SuppressWarnings("unchecked")
    private static Object lookup(Map<String, Object> user, String attribute) {
        Object node = user;
        for (String key : attribute.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = ((Map<String, Object>) map).get(key);
        }
        return node;
    }
}
