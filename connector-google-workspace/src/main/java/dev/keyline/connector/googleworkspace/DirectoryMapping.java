package dev.keyline.connector.googleworkspace;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Mfa;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.RoleScope;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserStatus;
import dev.keyline.connector.model.UserType;
import dev.keyline.connector.model.UserTypeValue;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Directory API resources in Keyline's model (schemas {@code User}, {@code Group}, {@code Member}, {@code Role} and
 * {@code RoleAssignment} of the discovery document {@code admin:directory_v1}). Unknown is null, never a guess:
 *
 * <ul>
 *   <li>Google keeps no update time for users, groups or roles, and no creation time for groups or roles.
 *   <li>{@code lastLoginTime} is {@code 1970-01-01T00:00:00.000Z} for someone who never signed in: no login, null.
 *   <li>{@code isEnrolledIn2Sv} is the enrolment; {@code isEnforcedIn2Sv} (a policy) stays in raw.
 *   <li>The manager is {@code relations[type=manager].value}, an e-mail address, not an id: {@code managerRemoteId}
 *       stays null rather than costing a lookup per user; the address is in raw.
 *   <li>The Directory lists only the customer's own people (no guests; service accounts are not users): every user
 *       is of type member, inferred ({@code sourceValue} null).
 * </ul>
 */
final class DirectoryMapping {
    /** What Google reports for "never signed in". */
    static final Instant NEVER = Instant.EPOCH;

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final UserType MEMBER = new UserType(UserTypeValue.MEMBER, null);

    private DirectoryMapping() {}

    static User user(JsonNode node, boolean includeRaw) {
        String primary = text(node, "primaryEmail");
        JsonNode name = node.path("name");
        JsonNode organization = primaryEntry(node.path("organizations"));
        return User.builder(text(node, "id"))
                .username(primary)
                .name(text(name, "fullName"))
                .firstName(text(name, "givenName"))
                .lastName(text(name, "familyName"))
                .primaryEmailAddress(primary)
                .emails(emails(node, primary))
                .status(status(node))
                .createdAt(time(node, "creationTime"))
                .privileged(privileged(node))
                .mfa(mfa(node))
                .lastLoginAt(lastLogin(node))
                .type(MEMBER)
                .department(organization == null ? null : text(organization, "department"))
                .title(organization == null ? null : text(organization, "title"))
                .raw(includeRaw ? raw(node) : null)
                .build();
    }

    /**
     * Suspended (by an administrator or by Google) and archived people can no longer sign in: disabled, with the
     * reason as the source value. Deleted users are not in the listing at all.
     */
    static UserStatus status(JsonNode node) {
        JsonNode suspended = node.get("suspended");
        if (suspended == null || !suspended.isBoolean()) {
            return new UserStatus(StatusValue.UNMAPPED_VALUE, null);
        }
        if (node.path("archived").asBoolean(false)) {
            return new UserStatus(StatusValue.DISABLED, "archived");
        }
        return suspended.asBoolean()
                ? new UserStatus(StatusValue.DISABLED, "suspended")
                : new UserStatus(StatusValue.ENABLED, "active");
    }

    /** A super administrator ({@code isAdmin}) or a delegated one ({@code isDelegatedAdmin}) administers. */
    static Boolean privileged(JsonNode node) {
        JsonNode admin = node.get("isAdmin");
        JsonNode delegated = node.get("isDelegatedAdmin");
        if ((admin == null || !admin.isBoolean()) && (delegated == null || !delegated.isBoolean())) {
            return null;
        }
        return node.path("isAdmin").asBoolean(false)
                || node.path("isDelegatedAdmin").asBoolean(false);
    }

    static Mfa mfa(JsonNode node) {
        JsonNode enrolled = node.get("isEnrolledIn2Sv");
        return enrolled == null || !enrolled.isBoolean() ? Mfa.UNKNOWN : new Mfa(enrolled.asBoolean(), null);
    }

    static Instant lastLogin(JsonNode node) {
        Instant at = time(node, "lastLoginTime");
        return at == null || !at.isAfter(NEVER) ? null : at;
    }

    private static List<Email> emails(JsonNode node, String primary) {
        List<Email> emails = new ArrayList<>();
        for (JsonNode entry : node.path("emails")) {
            String address = text(entry, "address");
            if (address != null) {
                String type = "custom".equals(text(entry, "type")) ? text(entry, "customType") : text(entry, "type");
                emails.add(new Email(address, type, entry.path("primary").asBoolean(false)));
            }
        }
        if (emails.isEmpty() && primary != null) {
            emails.add(new Email(primary, null, true));
        }
        return emails;
    }

    /** The entry marked primary, else the first, else null. */
    private static JsonNode primaryEntry(JsonNode entries) {
        if (!entries.isArray() || entries.isEmpty()) {
            return null;
        }
        for (JsonNode entry : entries) {
            if (entry.path("primary").asBoolean(false)) {
                return entry;
            }
        }
        return entries.get(0);
    }

    /** A group; {@code members} null when not asked for. Google has no group times and no admin mark for groups. */
    static Group group(JsonNode node, List<MemberRef> members, boolean includeRaw) {
        Integer count = null;
        if (members == null && node.path("directMembersCount").canConvertToInt()) {
            count = node.path("directMembersCount").asInt();
        }
        return new Group(
                text(node, "id"),
                text(node, "name"),
                text(node, "description"),
                null,
                members,
                count,
                null,
                null,
                includeRaw ? raw(node) : null);
    }

    /**
     * A direct member that is a user; null for nested groups and for {@code CUSTOMER} (everyone in the account),
     * which name no one person.
     */
    static MemberRef member(JsonNode node) {
        if (!"USER".equals(text(node, "type")) || text(node, "id") == null) {
            return null;
        }
        return new MemberRef(text(node, "id"), text(node, "email"));
    }

    /**
     * A role. Every Google Workspace admin role grants Admin console privileges, so every role is privileged. A role
     * has no scope of its own (assignments do: the customer or an organisational unit); the super admin role applies
     * to the whole account.
     */
    static Role role(JsonNode node, List<MemberRef> members, List<GroupRef> groups, boolean includeRaw) {
        List<String> permissions = new ArrayList<>();
        for (JsonNode privilege : node.path("rolePrivileges")) {
            String name = text(privilege, "privilegeName");
            if (name != null && !permissions.contains(name)) {
                permissions.add(name);
            }
        }
        return Role.builder(text(node, "roleId"))
                .name(text(node, "roleName"))
                .description(text(node, "roleDescription"))
                .privileged(true)
                .scope(node.path("isSuperAdminRole").asBoolean(false) ? RoleScope.ORG_WIDE : null)
                .permissions(permissions)
                .members(members)
                .groups(groups)
                .raw(includeRaw ? raw(node) : null)
                .build();
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant time(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Map<String, Object> raw(JsonNode node) {
        return DirectoryApi.mapper().convertValue(node, MAP);
    }
}
