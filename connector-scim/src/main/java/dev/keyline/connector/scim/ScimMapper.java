package dev.keyline.connector.scim;

import static dev.keyline.connector.scim.ScimClient.blankToNull;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.RoleRef;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserStatus;
import dev.keyline.connector.model.UserType;
import dev.keyline.connector.model.UserTypeValue;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps SCIM 2.0 User and Group resources to Keyline's model. It is lenient where real servers are sloppy
 * and documents each choice:
 *
 * <ul>
 *   <li>{@code active: true} is {@code enabled}, {@code false} is {@code disabled}, and the source value
 *       is kept as text. A missing {@code active} is {@code enabled} with no source value: SCIM servers
 *       that cannot deactivate accounts leave the attribute out, and the account exists in the directory.
 *       Anything else (a string other than {@code "true"}/{@code "false"}, a number) is
 *       {@code unmapped_value} with the text kept.
 *   <li>An e-mail {@code type} of {@code ""} is no type. The primary address is the one marked
 *       {@code primary}, else the first one.
 *   <li>A user's group reference gives its id in {@code value}; when that is missing the id is the last
 *       path segment of {@code $ref} or of {@code ref} (both spellings occur).
 *   <li>{@code meta} may be absent, hold only {@code resourceType}, or carry {@code ""} timestamps; any
 *       timestamp that is not an ISO-8601 instant with an offset is null.
 *   <li>{@code userType} maps to a {@link UserType} by a fixed table ({@link #userType}); a word not in it is no
 *       type (null), never a guess. {@code title}, the enterprise extension's {@code department} and
 *       {@code manager.value} are kept as they are; each {@code roles} entry is a {@link RoleRef} named by its
 *       {@code display} (else its {@code value}) with privilege unknown. SCIM core has no MFA, last sign-in or
 *       privilege, so those stay unknown.
 *   <li>A group's {@code members} absent means "not included in this answer" (null), an empty array
 *       means "no members".
 * </ul>
 */
public final class ScimMapper {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> TREE = new TypeReference<>() {};
    /** The enterprise User extension (RFC 7643 4.3), which carries {@code department} and {@code manager}. */
    public static final String ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    /** {@code userType} words, lower case without blanks, hyphens or underscores; see {@link #userType}. */
    private static final Map<String, UserTypeValue> USER_TYPES = Map.ofEntries(
            Map.entry("employee", UserTypeValue.MEMBER),
            Map.entry("member", UserTypeValue.MEMBER),
            Map.entry("staff", UserTypeValue.MEMBER),
            Map.entry("contractor", UserTypeValue.MEMBER),
            Map.entry("intern", UserTypeValue.MEMBER),
            Map.entry("temp", UserTypeValue.MEMBER),
            Map.entry("user", UserTypeValue.MEMBER),
            Map.entry("guest", UserTypeValue.GUEST),
            Map.entry("external", UserTypeValue.GUEST),
            Map.entry("partner", UserTypeValue.GUEST),
            Map.entry("service", UserTypeValue.SERVICE),
            Map.entry("serviceaccount", UserTypeValue.SERVICE),
            Map.entry("system", UserTypeValue.SERVICE),
            Map.entry("application", UserTypeValue.SERVICE),
            Map.entry("bot", UserTypeValue.BOT));

    private ScimMapper() {}

    /** A SCIM User as a {@link User}; {@code includeRaw} keeps the whole resource as {@link User#raw()}. */
    public static User user(JsonNode resource, boolean includeRaw) {
        requireNonNull(resource, "resource is null");
        String id = requireNonNull(blankToNull(resource.path("id")), "resource has no id");
        JsonNode name = resource.path("name");
        String givenName = blankToNull(name.path("givenName"));
        String familyName = blankToNull(name.path("familyName"));

        List<Email> emails = new ArrayList<>();
        for (JsonNode email : resource.path("emails")) {
            String value = blankToNull(email.path("value"));
            if (value != null) {
                emails.add(new Email(value, blankToNull(email.path("type")), isTrue(email.path("primary"))));
            }
        }
        String primaryEmail = emails.isEmpty() ? null : emails.get(0).value();
        for (Email email : emails) {
            if (email.primary()) {
                primaryEmail = email.value();
                break;
            }
        }

        List<GroupRef> groups = new ArrayList<>();
        for (JsonNode group : resource.path("groups")) {
            String groupId = firstNonNull(
                    blankToNull(group.path("value")),
                    lastSegment(blankToNull(group.path("$ref"))),
                    lastSegment(blankToNull(group.path("ref"))));
            if (groupId != null) {
                groups.add(new GroupRef(groupId, blankToNull(group.path("display"))));
            }
        }

        List<RoleRef> roles = new ArrayList<>();
        for (JsonNode role : resource.path("roles")) {
            String value = role.isObject() ? blankToNull(role.path("value")) : blankToNull(role);
            if (value != null) {
                String display = role.isObject() ? blankToNull(role.path("display")) : null;
                // SCIM says nothing of what a role may do, so its privilege stays unknown.
                roles.add(new RoleRef(value, display == null ? value : display, null));
            }
        }
        JsonNode enterprise = resource.path(ENTERPRISE_USER);

        JsonNode meta = resource.path("meta");
        return User.builder(id)
                .username(blankToNull(resource.path("userName")))
                .name(displayName(resource, givenName, familyName))
                .firstName(givenName)
                .lastName(familyName)
                .primaryEmailAddress(primaryEmail)
                .emails(emails)
                .status(status(resource.path("active")))
                .groups(groups)
                .roles(roles)
                .type(userType(resource.path("userType")))
                .title(blankToNull(resource.path("title")))
                .department(blankToNull(enterprise.path("department")))
                .managerRemoteId(managerId(enterprise.path("manager")))
                .createdAt(instant(meta.path("created")))
                .updatedAt(instant(meta.path("lastModified")))
                .raw(includeRaw ? raw(resource) : null)
                .build();
    }

    /** A SCIM Group as a {@link Group}; see the class comment for what a missing {@code members} means. */
    public static Group group(JsonNode resource, boolean includeRaw) {
        requireNonNull(resource, "resource is null");
        String id = requireNonNull(blankToNull(resource.path("id")), "resource has no id");
        List<MemberRef> members = null;
        JsonNode memberNodes = resource.path("members");
        if (memberNodes.isArray()) {
            members = new ArrayList<>();
            for (JsonNode member : memberNodes) {
                String memberId = firstNonNull(
                        blankToNull(member.path("value")),
                        lastSegment(blankToNull(member.path("$ref"))),
                        lastSegment(blankToNull(member.path("ref"))));
                if (memberId != null) {
                    members.add(new MemberRef(memberId, blankToNull(member.path("display"))));
                }
            }
        }
        JsonNode meta = resource.path("meta");
        return new Group(
                id,
                blankToNull(resource.path("displayName")),
                blankToNull(resource.path("description")),
                null,
                members,
                null,
                instant(meta.path("created")),
                instant(meta.path("lastModified")),
                includeRaw ? raw(resource) : null);
    }

    /** Whether the resource lists its members (possibly none), as opposed to leaving them out. */
    public static boolean hasMembers(JsonNode group) {
        return group.path("members").isArray();
    }

    /** The JSON tree as plain maps, lists and scalars, as {@link dev.keyline.connector.model.Raw} wants. */
    public static Map<String, Object> raw(JsonNode resource) {
        return JSON.convertValue(resource, TREE);
    }

    /**
     * The account type a SCIM {@code userType} names, case-insensitively, or null for a value not in the table:
     * {@code userType} is free text (RFC 7643 4.1.1 gives "Contractor", "Employee", "Intern", "Temp", "External"
     * and "Unknown" as examples), so an unlisted word is not guessed at.
     */
    static UserType userType(JsonNode node) {
        String text = blankToNull(node);
        if (text == null || !node.isTextual()) {
            return null;
        }
        String key = text.strip()
                .toLowerCase(Locale.ROOT)
                .replace("_", "")
                .replace("-", "")
                .replace(" ", "");
        UserTypeValue value = USER_TYPES.get(key);
        return value == null ? null : new UserType(value, text.strip());
    }

    /** The manager's id: {@code manager.value}, else the last segment of {@code manager.$ref}. */
    private static String managerId(JsonNode manager) {
        if (!manager.isObject()) {
            return null;
        }
        return firstNonNull(blankToNull(manager.path("value")), lastSegment(blankToNull(manager.path("$ref"))));
    }

    static UserStatus status(JsonNode active) {
        if (active.isMissingNode() || active.isNull()) {
            return new UserStatus(StatusValue.ENABLED, null);
        }
        String text = active.asText().strip();
        if (active.isBoolean() || active.isTextual()) {
            switch (text.toLowerCase(Locale.ROOT)) {
                case "true":
                    return new UserStatus(StatusValue.ENABLED, text);
                case "false":
                    return new UserStatus(StatusValue.DISABLED, text);
                default:
                    break;
            }
        }
        return new UserStatus(StatusValue.UNMAPPED_VALUE, active.isValueNode() ? text : active.toString());
    }

    static Instant instant(JsonNode node) {
        String text = blankToNull(node);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String displayName(JsonNode resource, String givenName, String familyName) {
        String formatted = blankToNull(resource.path("name").path("formatted"));
        if (formatted != null) {
            return formatted;
        }
        String displayName = blankToNull(resource.path("displayName"));
        if (displayName != null) {
            return displayName;
        }
        if (givenName == null && familyName == null) {
            return null;
        }
        return givenName == null ? familyName : familyName == null ? givenName : givenName + " " + familyName;
    }

    private static boolean isTrue(JsonNode node) {
        return node.isBoolean()
                ? node.booleanValue()
                : "true".equalsIgnoreCase(node.asText().strip());
    }

    private static String lastSegment(String ref) {
        if (ref == null) {
            return null;
        }
        // By hand rather than with String.replaceAll: this runs for every member of every group and every group of
        // every user in a sync, and replaceAll compiles its pattern on each call (a tenth of a sync's CPU).
        int end = ref.length();
        for (int i = 0; i < ref.length(); i++) {
            char c = ref.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        while (end > 0 && ref.charAt(end - 1) == '/') {
            end--;
        }
        String segment = ref.substring(ref.lastIndexOf('/', end - 1) + 1, end);
        return segment.isBlank() ? null : segment;
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
