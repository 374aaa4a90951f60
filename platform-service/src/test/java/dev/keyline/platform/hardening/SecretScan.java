package dev.keyline.platform.hardening;

import dev.keyline.platform.problem.SecretShapes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds secrets in text: anything shaped like one of Keyline's secrets, a JWT or a {@code Bearer} value, the
 * tokens the tests give their SCIM upstreams, and every secret value the tests are known to have handed over.
 */
final class SecretScan {
    /** The shape of the test suites' generated SCIM tokens ("scim-token-<uuid>"); fixed ones are known values. */
    private static final Pattern TEST_TOKENS =
            Pattern.compile("[A-Za-z0-9-]*token-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final List<Pattern> patterns;
    private final List<String> known;

    record Hit(String kind, String value) {
        /** Enough to find it, never the secret itself. */
        String masked() {
            return kind + " " + value.substring(0, Math.min(10, value.length())) + "… (" + value.length() + " chars)";
        }
    }

    SecretScan(Collection<String> knownValues) {
        List<Pattern> all = new ArrayList<>(SecretShapes.PATTERNS);
        all.add(TEST_TOKENS);
        this.patterns = List.copyOf(all);
        this.known = knownValues.stream()
                .filter(v -> v != null && v.length() >= 8)
                .distinct()
                .toList();
    }

    List<Hit> scan(String text) {
        List<Hit> hits = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return hits;
        }
        for (Pattern pattern : patterns) {
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                if (!m.group().contains(SecretShapes.MASK) && !documentedExample(m.group())) {
                    hits.add(new Hit(kind(m.group()), m.group()));
                }
            }
        }
        for (String value : known) {
            if (text.contains(value)) {
                hits.add(new Hit("known credential", value));
            }
        }
        return hits;
    }

    /**
     * A JWT whose claims say it is an example (the shape of a token shown in a connector's form help) is
     * documentation, not a credential.
     */
    private static boolean documentedExample(String value) {
        String[] parts = value.split("\\.");
        if (!value.startsWith("eyJ") || parts.length < 2) {
            return false;
        }
        try {
            String claims = new String(
                    java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8);
            return claims.contains("\"example\"");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether the service itself issues this secret (and may show it once, in the response that creates it). */
    static boolean mintedByKeyline(String value) {
        return value.startsWith("kl_live_") || value.startsWith("kl_cs_") || value.startsWith("whsec_");
    }

    private static String kind(String value) {
        if (value.startsWith("kl_live_")) {
            return "API key";
        }
        if (value.startsWith("kl_op_")) {
            return "operator key";
        }
        if (value.startsWith("kl_cs_")) {
            return "connect token";
        }
        if (value.startsWith("whsec_")) {
            return "webhook secret";
        }
        if (value.startsWith("eyJ")) {
            return "JWT";
        }
        return "bearer token";
    }
}
