package dev.keyline.connector.tck.okta;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** Okta's ids, times and role assignment objects, as the double writes them. */
final class OktaShapes {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_CHARS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789";

    private OktaShapes() {}

    static String time(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    static String randomId(int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(ID_CHARS.charAt(RANDOM.nextInt(ID_CHARS.length())));
        }
        return id.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> profileOf(Map<String, Object> user) {
        return (Map<String, Object>) user.get("profile");
    }

    static Map<String, Object> role(String roleType, String assignmentType, Instant now) {
        Map<String, Object> role = new LinkedHashMap<>();
        role.put("id", "ra1" + randomId(17));
        role.put("label", OktaHandler.label(requireNonNull(roleType, "roleType is null")));
        role.put("type", roleType);
        role.put("status", "ACTIVE");
        role.put("created", time(now));
        role.put("lastUpdated", time(now));
        role.put("assignmentType", assignmentType);
        return role;
    }
}
