package dev.keyline.connector.keycloak;

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
import java.util.List;
import java.util.Map;

/**
 * Keycloak's representations in Keyline's model. Unknown is null, never a guess: Keycloak keeps no display name
 * and no update time, so {@code name} is the first and last name joined and {@code updatedAt} stays null.
 *
 * <pre>{@code
 * UserRepresentation:  {"id", "username", "email", "emailVerified", "firstName", "lastName", "enabled",
 *                       "createdTimestamp" (epoch millis), "attributes", ...}
 * GroupRepresentation: {"id", "name", "description", "path", "subGroupCount", "subGroups", ...}
 * }</pre>
 */
final class KeycloakMapping {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private KeycloakMapping() {}

    static User user(JsonNode node, List<GroupRef> groups, boolean includeRaw) {
        String email = text(node, "email");
        String first = text(node, "firstName");
        String last = text(node, "lastName");
        String name = first == null ? last : last == null ? first : first + " " + last;
        JsonNode enabled = node.get("enabled");
        UserStatus status = enabled == null || !enabled.isBoolean()
                ? new UserStatus(StatusValue.UNMAPPED_VALUE, null)
                : enabled.asBoolean()
                        ? new UserStatus(StatusValue.ENABLED, "enabled")
                        : new UserStatus(StatusValue.DISABLED, "disabled");
        JsonNode created = node.get("createdTimestamp");
        return User.builder(text(node, "id"))
                .username(text(node, "username"))
                .name(name)
                .firstName(first)
                .lastName(last)
                .primaryEmailAddress(email)
                // Keycloak keeps one address; whether it was verified travels in raw (emailVerified).
                .emails(email == null ? List.of() : List.of(new Email(email, null, true)))
                .status(status)
                .groups(groups)
                .createdAt(
                        created != null && created.canConvertToLong() ? Instant.ofEpochMilli(created.asLong()) : null)
                .raw(includeRaw ? raw(node) : null)
                .build();
    }

    static GroupRef groupRef(JsonNode node) {
        return new GroupRef(text(node, "id"), text(node, "name"));
    }

    static MemberRef member(JsonNode node) {
        return new MemberRef(text(node, "id"), text(node, "username"));
    }

    /** A group; {@code members} null when not asked for (not the same as an empty group). */
    static Group group(JsonNode node, List<MemberRef> members, boolean includeRaw) {
        return new Group(
                text(node, "id"),
                text(node, "name"),
                text(node, "description"),
                null,
                members,
                members == null ? null : members.size(),
                null,
                null,
                includeRaw ? raw(node) : null);
    }

    /** Whether a group has subgroups to visit: {@code subGroupCount} since Keycloak 23, else {@code subGroups}. */
    static boolean hasSubGroups(JsonNode node) {
        JsonNode count = node.get("subGroupCount");
        if (count != null && count.canConvertToLong()) {
            return count.asLong() > 0;
        }
        return node.path("subGroups").size() > 0;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Map<String, Object> raw(JsonNode node) {
        return KeycloakApi.mapper().convertValue(node, MAP);
    }
}
