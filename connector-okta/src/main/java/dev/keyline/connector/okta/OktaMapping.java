package dev.keyline.connector.okta;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Mfa;
import dev.keyline.connector.model.RoleRef;
import dev.keyline.connector.model.RoleScope;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Okta's objects in Keyline's model. Unknown is null, never a guess: {@code profile.userType} is free text ("such as
 * employee or contractor", says Okta), so the account type stays null; Okta keeps no address labels, so e-mail types
 * are null.
 */
final class OktaMapping {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    /** Admin roles that can change nothing: Okta documents them as view-only. */
    private static final Set<String> READ_ONLY_ROLES = Set.of("READ_ONLY_ADMIN", "REPORT_ADMIN");
    /** Roles Okta cannot constrain to groups or apps. */
    private static final Set<String> ORG_WIDE_ROLES =
            Set.of("SUPER_ADMIN", "ORG_ADMIN", "READ_ONLY_ADMIN", "REPORT_ADMIN");

    private OktaMapping() {}

    /**
     * Okta's lifecycle statuses: people who can sign in (ACTIVE, and ACTIVE with a password to change, a recovery in
     * progress or a lockout to wait out) are enabled; SUSPENDED and DEPROVISIONED (deactivated) are disabled; STAGED
     * and PROVISIONED (not yet activated) are pending.
     */
    static UserStatus status(String source) {
        if (source == null) {
            return new UserStatus(StatusValue.UNMAPPED_VALUE, null);
        }
        StatusValue value = switch (source) {
            case "ACTIVE", "PASSWORD_EXPIRED", "RECOVERY", "LOCKED_OUT" -> StatusValue.ENABLED;
            case "SUSPENDED", "DEPROVISIONED" -> StatusValue.DISABLED;
            case "STAGED", "PROVISIONED" -> StatusValue.PENDING;
            default -> StatusValue.UNMAPPED_VALUE;
        };
        return new UserStatus(value, source);
    }

    /** A user; {@code roles} null when the grant may not read them; privilege is known only for role holders. */
    static User user(JsonNode node, List<GroupRef> groups, List<RoleRef> roles, Mfa mfa, boolean includeRaw) {
        JsonNode profile = node.path("profile");
        String email = text(profile, "email");
        String second = text(profile, "secondEmail");
        List<Email> emails = new ArrayList<>(2);
        if (email != null) {
            emails.add(new Email(email, null, true));
        }
        if (second != null && !second.equalsIgnoreCase(email)) {
            emails.add(new Email(second, null, false));
        }
        String first = text(profile, "firstName");
        String last = text(profile, "lastName");
        String display = text(profile, "displayName");
        String name = display != null ? display : first == null ? last : last == null ? first : first + " " + last;
        // Okta does not document that its assignees listing names users who hold a role only through a group, so
        // a user without listed roles is not known to be unprivileged: null, not false.
        Boolean privileged = roles == null || roles.isEmpty()
                ? null
                : roles.stream().anyMatch(r -> Boolean.TRUE.equals(r.privileged()));
        return User.builder(text(node, "id"))
                .username(text(profile, "login"))
                .name(name)
                .firstName(first)
                .lastName(last)
                .primaryEmailAddress(email)
                .emails(emails)
                .status(status(text(node, "status")))
                .groups(groups)
                .roles(roles == null ? List.of() : roles)
                .privileged(privileged)
                .mfa(mfa)
                .lastLoginAt(instant(node, "lastLogin"))
                .managerRemoteId(text(profile, "managerId"))
                .department(text(profile, "department"))
                .title(text(profile, "title"))
                .createdAt(instant(node, "created"))
                .updatedAt(instant(node, "lastUpdated"))
                .raw(includeRaw ? raw(node) : null)
                .build();
    }

    static GroupRef groupRef(JsonNode node) {
        return new GroupRef(text(node, "id"), text(node.path("profile"), "name"));
    }

    static MemberRef member(JsonNode node) {
        return new MemberRef(text(node, "id"), text(node.path("profile"), "login"));
    }

    static Group group(JsonNode node, List<MemberRef> members, boolean includeRaw) {
        JsonNode profile = node.path("profile");
        return new Group(
                text(node, "id"),
                text(profile, "name"),
                text(profile, "description"),
                text(node, "type"),
                members,
                members == null ? null : members.size(),
                instant(node, "created"),
                instant(node, "lastUpdated"),
                includeRaw ? raw(node) : null);
    }

    /** A role assignment's role: the standard type, or a custom role's id. */
    static String roleId(JsonNode assignment) {
        String type = text(assignment, "type");
        String custom = text(assignment, "role");
        return "CUSTOM".equals(type) && custom != null ? custom : type;
    }

    /** Standard roles are administrative unless view-only; what a custom role allows is not read, so unknown. */
    static Boolean privileged(JsonNode assignment) {
        String type = text(assignment, "type");
        if (type == null || type.equals("CUSTOM")) {
            return null;
        }
        return !READ_ONLY_ROLES.contains(type);
    }

    static RoleScope scope(JsonNode assignment) {
        return ORG_WIDE_ROLES.contains(text(assignment, "type")) ? RoleScope.ORG_WIDE : null;
    }

    static RoleRef roleRef(JsonNode assignment) {
        return new RoleRef(roleId(assignment), text(assignment, "label"), privileged(assignment));
    }

    /** Enrolled factors: {@code enrolled} is whether any is ACTIVE; the methods are their {@code factorType}s. */
    static Mfa mfa(List<JsonNode> factors) {
        List<String> methods = factors.stream()
                .filter(f -> "ACTIVE".equals(text(f, "status")))
                .map(f -> text(f, "factorType"))
                .filter(t -> t != null)
                .distinct()
                .toList();
        return new Mfa(!methods.isEmpty(), methods);
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    static Instant instant(JsonNode node, String field) {
        String text = text(node, field);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static Map<String, Object> raw(JsonNode node) {
        return OktaApi.mapper().convertValue(node, MAP);
    }
}
