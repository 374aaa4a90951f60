package dev.keyline.connector.entraid;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Mfa;
import dev.keyline.connector.model.RoleRef;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserStatus;
import dev.keyline.connector.model.UserType;
import dev.keyline.connector.model.UserTypeValue;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Graph v1.0 {@code user} and {@code group} JSON to the model; unknown stays null. */
final class EntraIdMapping {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    /** The user properties read everywhere ({@code signInActivity} is added only when AuditLog.Read.All allows). */
    static final String USER_SELECT = "id,userPrincipalName,displayName,givenName,surname,mail,otherMails,"
            + "accountEnabled,userType,jobTitle,department,createdDateTime";

    private EntraIdMapping() {}

    /** What a user needs besides its own record: memberships, roles, MFA; null roles means unknown. */
    record Extras(List<GroupRef> groups, List<RoleRef> roles, Mfa mfa) {}

    static User user(JsonNode node, Extras extras, boolean includeRaw) {
        String mail = text(node, "mail");
        List<Email> emails = new ArrayList<>();
        if (mail != null) {
            emails.add(new Email(mail, "work", true));
        }
        for (JsonNode other : node.path("otherMails")) {
            String value = other.asText("");
            if (!value.isBlank() && !value.equalsIgnoreCase(mail)) {
                emails.add(new Email(value, "other", false));
            }
        }
        Boolean privileged = null;
        if (extras.roles() != null) {
            if (extras.roles().stream().anyMatch(r -> Boolean.TRUE.equals(r.privileged()))) {
                privileged = true;
            } else if (extras.roles().stream().allMatch(r -> Boolean.FALSE.equals(r.privileged()))) {
                privileged = false;
            }
        }
        return User.builder(node.path("id").asText())
                .username(text(node, "userPrincipalName"))
                .name(text(node, "displayName"))
                .firstName(text(node, "givenName"))
                .lastName(text(node, "surname"))
                .primaryEmailAddress(mail)
                .emails(emails)
                .status(status(node))
                .groups(extras.groups())
                .roles(extras.roles() == null ? List.of() : extras.roles())
                .privileged(privileged)
                .mfa(extras.mfa())
                .lastLoginAt(lastLogin(node))
                .type(type(node))
                .managerRemoteId(text(node.path("manager"), "id"))
                .department(text(node, "department"))
                .title(text(node, "jobTitle"))
                .createdAt(instant(node, "createdDateTime"))
                .raw(includeRaw ? raw(node) : null)
                .build();
    }

    /** {@code accountEnabled} false is a blocked sign-in: the person is still in the tenant, so disabled. */
    static UserStatus status(JsonNode node) {
        JsonNode enabled = node.get("accountEnabled");
        if (enabled == null || !enabled.isBoolean()) {
            return new UserStatus(StatusValue.UNMAPPED_VALUE, enabled == null ? null : enabled.asText());
        }
        return enabled.asBoolean()
                ? new UserStatus(StatusValue.ENABLED, "accountEnabled=true")
                : new UserStatus(StatusValue.DISABLED, "accountEnabled=false");
    }

    static UserType type(JsonNode node) {
        String value = text(node, "userType");
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "member" -> new UserType(UserTypeValue.MEMBER, value);
            case "guest" -> new UserType(UserTypeValue.GUEST, value);
            default -> null;
        };
    }

    /**
     * The last successful sign-in where Graph has it, else the last interactive sign-in attempt; null without
     * {@code signInActivity} (AuditLog.Read.All not granted, or never signed in).
     */
    static Instant lastLogin(JsonNode node) {
        JsonNode activity = node.path("signInActivity");
        Instant successful = instant(activity, "lastSuccessfulSignInDateTime");
        return successful != null ? successful : instant(activity, "lastSignInDateTime");
    }

    static Group group(JsonNode node, List<MemberRef> members, boolean includeRaw) {
        return new Group(
                node.path("id").asText(),
                text(node, "displayName"),
                text(node, "description"),
                groupType(node),
                members,
                null,
                instant(node, "createdDateTime"),
                null,
                includeRaw ? raw(node) : null,
                null);
    }

    /** Microsoft 365 groups carry {@code Unified} in {@code groupTypes}; others are security or distribution lists. */
    static String groupType(JsonNode node) {
        for (JsonNode type : node.path("groupTypes")) {
            if (type.asText("").equals("Unified")) {
                return "microsoft365";
            }
        }
        if (node.path("securityEnabled").asBoolean(false)) {
            return node.path("mailEnabled").asBoolean(false) ? "mail_enabled_security" : "security";
        }
        return node.path("mailEnabled").asBoolean(false) ? "distribution" : null;
    }

    static MemberRef member(JsonNode node) {
        return new MemberRef(node.path("id").asText(), text(node, "userPrincipalName"));
    }

    static GroupRef groupRef(JsonNode node) {
        return new GroupRef(node.path("id").asText(), text(node, "displayName"));
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        String text = value.asText();
        return text.isBlank() ? null : text;
    }

    static Instant instant(JsonNode node, String field) {
        String text = text(node, field);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static Map<String, Object> raw(JsonNode node) {
        return GraphApi.mapper().convertValue(node, MAP);
    }
}
