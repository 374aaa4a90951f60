package dev.keyline.platform.webhook;

import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The event catalogue and subscription patterns: {@code *}, an exact type, or a prefix such as {@code iam.user.*}. */
final class EventTypes {
    static final String ACCOUNT_LINKED = "account.linked";
    static final String ACCOUNT_ERROR = "account.error";
    static final String ACCOUNT_RECOVERED = "account.recovered";
    static final String SYNC_COMPLETED = "sync.completed";
    static final String SYNC_FAILED = "sync.failed";
    static final String TEST = "webhook.test";
    static final String WEBHOOK_BROKEN = "webhook.broken";

    /** What a subscription can ask for; {@code webhook.test} is sent on request to one subscription only. */
    static final List<String> CATALOGUE = List.of(
            ACCOUNT_LINKED,
            ACCOUNT_ERROR,
            ACCOUNT_RECOVERED,
            SYNC_COMPLETED,
            SYNC_FAILED,
            WEBHOOK_BROKEN,
            "iam.user.created",
            "iam.user.updated",
            "iam.user.deleted",
            "iam.group.created",
            "iam.group.updated",
            "iam.group.deleted",
            "iam.role.created",
            "iam.role.updated",
            "iam.role.deleted");

    static final int MAX_PATTERNS = 32;

    private EventTypes() {}

    /** {@code iam.user.created} for a change of type {@code user}; re-appeared records are announced as created. */
    static String directory(String recordType, String change) {
        String verb = switch (change) {
            case "created", "reappeared" -> "created";
            case "updated" -> "updated";
            case "deleted" -> "deleted";
            default -> null;
        };
        if (verb == null || !(recordType.equals("user") || recordType.equals("group") || recordType.equals("role"))) {
            return null;
        }
        return "iam." + recordType + "." + verb;
    }

    static boolean matches(List<String> patterns, String type) {
        for (String pattern : patterns) {
            if (matches(pattern, type)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String pattern, String type) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith(".*")) {
            return type.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(type);
    }

    /** The patterns without duplicates, each matching at least one catalogued type; else a 400 problem. */
    static List<String> validate(List<String> patterns) {
        if (patterns == null || patterns.isEmpty()) {
            throw KeylineException.invalid(
                            FailureCode.INVALID_REQUEST,
                            "events must name at least one event type, or [\"*\"] for all.")
                    .field("events");
        }
        if (patterns.size() > MAX_PATTERNS) {
            throw KeylineException.invalid(
                            FailureCode.INVALID_REQUEST, "events may hold at most " + MAX_PATTERNS + " entries.")
                    .field("events");
        }
        Set<String> kept = new LinkedHashSet<>();
        for (String pattern : patterns) {
            String p = pattern == null ? "" : pattern.strip();
            boolean known = CATALOGUE.stream().anyMatch(type -> matches(p, type));
            if (!known || p.length() > 64) {
                throw KeylineException.invalid(
                                FailureCode.UNKNOWN_EVENT_TYPE,
                                "'" + abbreviate(p) + "' is not an event type. Use one of " + CATALOGUE
                                        + ", a prefix such as iam.user.*, or *.")
                        .field("events");
            }
            kept.add(p);
        }
        return new ArrayList<>(kept);
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }
}
