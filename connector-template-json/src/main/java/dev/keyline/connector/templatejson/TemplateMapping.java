package dev.keyline.connector.templatejson;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HR API's records in Keyline's model. Unknown is null, never a guess: a missing name stays null, a status
 * the API adds later maps to {@link StatusValue#UNMAPPED_VALUE} with its source value kept.
 *
 * <pre>{@code
 * user:   {"id", "email", "first_name", "last_name", "display_name", "status": "active" | "suspended",
 *          "emails": [{"value", "type", "primary"}], "groups": [{"id", "name"}], "created_at", "updated_at"}
 * group:  {"id", "name", "description", "created_at", "updated_at"}
 * member: {"id", "email"}   (GET /groups/{id}/members)
 * }</pre>
 */
final class TemplateMapping {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private TemplateMapping() {}

    static User user(JsonNode node, boolean includeRaw) {
        String status = text(node, "status");
        List<Email> emails = new ArrayList<>();
        node.path("emails")
                .forEach(e -> emails.add(new Email(
                        text(e, "value"), text(e, "type"), e.path("primary").asBoolean(false))));
        List<GroupRef> groups = new ArrayList<>();
        node.path("groups").forEach(g -> groups.add(new GroupRef(text(g, "id"), text(g, "name"))));
        return User.builder(text(node, "id"))
                .username(text(node, "email"))
                .name(text(node, "display_name"))
                .firstName(text(node, "first_name"))
                .lastName(text(node, "last_name"))
                .primaryEmailAddress(emails.stream()
                        .filter(Email::primary)
                        .map(Email::value)
                        .findFirst()
                        .orElse(text(node, "email")))
                .emails(emails)
                .status(new UserStatus(status(status), status))
                .groups(groups)
                .createdAt(instant(node, "created_at"))
                .updatedAt(instant(node, "updated_at"))
                .raw(includeRaw ? raw(node) : null)
                .build();
    }

    static StatusValue status(String value) {
        if (value == null) {
            return StatusValue.UNMAPPED_VALUE;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "active" -> StatusValue.ENABLED;
            case "suspended", "inactive", "terminated" -> StatusValue.DISABLED;
            case "invited", "pending" -> StatusValue.PENDING;
            default -> StatusValue.UNMAPPED_VALUE;
        };
    }

    /** A group; {@code members} null when not asked for (not the same as an empty group). */
    static Group group(JsonNode node, List<JsonNode> members, boolean includeRaw) {
        List<MemberRef> refs = null;
        if (members != null) {
            refs = members.stream()
                    .map(m -> new MemberRef(text(m, "id"), text(m, "email")))
                    .toList();
        }
        return new Group(
                text(node, "id"),
                text(node, "name"),
                text(node, "description"),
                null,
                refs,
                refs == null ? null : refs.size(),
                instant(node, "created_at"),
                instant(node, "updated_at"),
                includeRaw ? raw(node) : null);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        String text = text(node, field);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            // A date the API formats differently is unknown, not a failure of the whole listing.
            return null;
        }
    }

    private static Map<String, Object> raw(JsonNode node) {
        return TemplateApi.mapper().convertValue(node, MAP);
    }
}
