package dev.keyline.platform.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Mfa;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.RoleRef;
import dev.keyline.connector.model.RoleScope;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserStatus;
import dev.keyline.connector.model.UserType;
import dev.keyline.connector.model.UserTypeValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.bson.Document;

/**
 * Normalized records as stored documents, and back. Field names are the API's (snake_case), so a change's
 * field list means the same to a client as the record it reads. Provider timestamps are kept as ISO text so
 * a synced read returns exactly what a live read would (BSON dates keep only milliseconds).
 */
final class RecordCodec {
    /** The provider's last-modified time moves on every touch; it is kept but is no change of its own. */
    static final Set<String> NOT_COMPARED = Set.of("updated_at");

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordCodec() {}

    static Document user(User user) {
        Document d = new Document();
        d.put("username", user.username());
        d.put("name", user.name());
        d.put("first_name", user.firstName());
        d.put("last_name", user.lastName());
        d.put("primary_email_address", user.primaryEmailAddress());
        List<Document> emails = new ArrayList<>();
        for (Email email : user.emails()) {
            emails.add(new Document("value", email.value())
                    .append("type", email.type())
                    .append("primary", email.primary()));
        }
        d.put("emails", emails);
        d.put(
                "status",
                new Document("value", user.status().value().wireName())
                        .append("source_value", user.status().sourceValue()));
        d.put("is_bot_user", user.isBotUser());
        d.put("groups", groupRefs(user.groups()));
        // Role ids as before SPI 3 (the stored hashes of unchanged records stay the same); names and marks beside
        // them, only when a role has any.
        d.put(
                "roles",
                new ArrayList<>(user.roles().stream().map(RoleRef::remoteId).toList()));
        d.put("created_at", text(user.createdAt()));
        d.put("updated_at", text(user.updatedAt()));
        // The access-review facts (SPI 3) are stored only when known, so records of providers that know none hash
        // as they did before them: no sync after an upgrade reports every record changed.
        if (user.roles().stream().anyMatch(r -> !r.equals(RoleRef.named(r.remoteId())))) {
            List<Document> refs = new ArrayList<>();
            for (RoleRef ref : user.roles()) {
                refs.add(new Document("remote_id", ref.remoteId())
                        .append("name", ref.name())
                        .append("privileged", ref.privileged()));
            }
            d.put("role_refs", refs);
        }
        putIfKnown(d, "privileged", user.privileged());
        if (!Mfa.UNKNOWN.equals(user.mfa())) {
            d.put(
                    "mfa",
                    new Document("enrolled", user.mfa().enrolled())
                            .append(
                                    "methods",
                                    user.mfa().methods() == null
                                            ? null
                                            : new ArrayList<>(user.mfa().methods())));
        }
        putIfKnown(d, "last_login_at", text(user.lastLoginAt()));
        if (user.type() != null) {
            d.put(
                    "type",
                    new Document("value", user.type().value().wireName())
                            .append("source_value", user.type().sourceValue()));
        }
        putIfKnown(d, "manager_remote_id", user.managerRemoteId());
        putIfKnown(d, "department", user.department());
        putIfKnown(d, "title", user.title());
        return d;
    }

    private static void putIfKnown(Document d, String key, Object value) {
        if (value != null) {
            d.put(key, value);
        }
    }

    private static List<Document> groupRefs(List<GroupRef> refs) {
        List<Document> groups = new ArrayList<>();
        for (GroupRef ref : refs) {
            Document g = new Document("remote_id", ref.remoteId()).append("name", ref.name());
            putIfKnown(g, "privileged", ref.privileged());
            groups.add(g);
        }
        return groups;
    }

    /**
     * The groups and roles the provider itself listed on a user, before the membership index joined the other side
     * in; null when joining added nothing. Kept outside the record so an incremental run can join a user it did not list
     * again with the groups and roles it walked.
     */
    static Document ownRefs(User listed, User joined) {
        // Most providers that list membership on users list all of it there: then nothing was joined in and the
        // record itself holds the user's own refs (null here), which keeps a full sync from writing them twice (a
        // full sync of 10k SCIM users was ~15% slower with them copied beside every record).
        if (listed.groups().equals(joined.groups()) && listed.roles().equals(joined.roles())) {
            return null;
        }
        List<Document> roles = new ArrayList<>();
        for (RoleRef ref : listed.roles()) {
            roles.add(new Document("remote_id", ref.remoteId())
                    .append("name", ref.name())
                    .append("privileged", ref.privileged()));
        }
        return new Document("groups", groupRefs(listed.groups())).append("role_refs", roles);
    }

    /**
     * A stored user as its provider listed it: its own groups and roles ({@link #ownRefs}) in place of the joined, or
     * the stored ones when nothing was joined in.
     */
    static User withOwnRefs(User stored, Document own) {
        if (own == null) {
            return stored;
        }
        return stored.toBuilder().groups(groupRefs(own)).roles(roleRefs(own)).build();
    }

    private static List<GroupRef> groupRefs(Document d) {
        List<GroupRef> groups = new ArrayList<>();
        for (Document g : d.getList("groups", Document.class, List.of())) {
            groups.add(new GroupRef(g.getString("remote_id"), g.getString("name"), g.getBoolean("privileged")));
        }
        return groups;
    }

    private static List<Document> memberRefs(List<MemberRef> refs) {
        List<Document> members = new ArrayList<>();
        for (MemberRef ref : refs) {
            members.add(new Document("remote_id", ref.remoteId()).append("username", ref.username()));
        }
        return members;
    }

    private static List<MemberRef> memberRefs(Document d) {
        if (d.get("members") == null) {
            return null;
        }
        List<MemberRef> members = new ArrayList<>();
        for (Document m : d.getList("members", Document.class)) {
            members.add(new MemberRef(m.getString("remote_id"), m.getString("username")));
        }
        return members;
    }

    static Document role(Role role) {
        Document d = new Document();
        d.put("name", role.name());
        d.put("description", role.description());
        d.put("privileged", role.privileged());
        d.put("scope", role.scope() == null ? null : role.scope().wireName());
        d.put("permissions", new ArrayList<>(role.permissions()));
        d.put("members", role.members() == null ? null : memberRefs(role.members()));
        d.put("groups", role.groups() == null ? null : groupRefs(role.groups()));
        d.put("created_at", text(role.createdAt()));
        d.put("updated_at", text(role.updatedAt()));
        return d;
    }

    static Role role(String remoteId, Document d, Map<String, Object> raw) {
        String scope = d.getString("scope");
        return Role.builder(remoteId)
                .name(d.getString("name"))
                .description(d.getString("description"))
                .privileged(d.getBoolean("privileged"))
                .scope(scope == null ? null : RoleScope.fromWireName(scope))
                .permissions(d.getList("permissions", String.class, List.of()))
                .members(memberRefs(d))
                .groups(d.get("groups") == null ? null : groupRefs(d))
                .createdAt(instant(d.getString("created_at")))
                .updatedAt(instant(d.getString("updated_at")))
                .raw(raw)
                .build();
    }

    static Document group(Group group) {
        Document d = new Document();
        d.put("name", group.name());
        d.put("description", group.description());
        d.put("type", group.type());
        d.put("members", group.members() == null ? null : memberRefs(group.members()));
        d.put("member_count", group.memberCount());
        d.put("created_at", text(group.createdAt()));
        d.put("updated_at", text(group.updatedAt()));
        putIfKnown(d, "privileged", group.privileged());
        return d;
    }

    static User user(String remoteId, Document d, Map<String, Object> raw) {
        List<Email> emails = new ArrayList<>();
        for (Document e : d.getList("emails", Document.class, List.of())) {
            emails.add(
                    new Email(e.getString("value"), e.getString("type"), Boolean.TRUE.equals(e.getBoolean("primary"))));
        }
        Document status = d.get("status", Document.class);
        Document mfa = d.get("mfa", Document.class);
        Document type = d.get("type", Document.class);
        return User.builder(remoteId)
                .username(d.getString("username"))
                .name(d.getString("name"))
                .firstName(d.getString("first_name"))
                .lastName(d.getString("last_name"))
                .primaryEmailAddress(d.getString("primary_email_address"))
                .emails(emails)
                .status(new UserStatus(
                        StatusValue.fromWireName(status.getString("value")), status.getString("source_value")))
                .isBotUser(Boolean.TRUE.equals(d.getBoolean("is_bot_user")))
                .groups(groupRefs(d))
                .roles(roleRefs(d))
                .createdAt(instant(d.getString("created_at")))
                .updatedAt(instant(d.getString("updated_at")))
                .raw(raw)
                .privileged(d.getBoolean("privileged"))
                .mfa(
                        mfa == null
                                ? Mfa.UNKNOWN
                                : new Mfa(mfa.getBoolean("enrolled"), mfa.getList("methods", String.class)))
                .lastLoginAt(instant(d.getString("last_login_at")))
                .type(
                        type == null
                                ? null
                                : new UserType(
                                        UserTypeValue.fromWireName(type.getString("value")),
                                        type.getString("source_value")))
                .managerRemoteId(d.getString("manager_remote_id"))
                .department(d.getString("department"))
                .title(d.getString("title"))
                .build();
    }

    private static List<RoleRef> roleRefs(Document d) {
        List<RoleRef> roles = new ArrayList<>();
        List<Document> refs = d.getList("role_refs", Document.class);
        if (refs != null) {
            for (Document r : refs) {
                roles.add(new RoleRef(r.getString("remote_id"), r.getString("name"), r.getBoolean("privileged")));
            }
            return roles;
        }
        d.getList("roles", String.class, List.of()).forEach(name -> roles.add(RoleRef.named(name)));
        return roles;
    }

    static Group group(String remoteId, Document d, Map<String, Object> raw) {
        return new Group(
                remoteId,
                d.getString("name"),
                d.getString("description"),
                d.getString("type"),
                memberRefs(d),
                d.getInteger("member_count"),
                instant(d.getString("created_at")),
                instant(d.getString("updated_at")),
                raw,
                d.getBoolean("privileged"));
    }

    /** The lower-cased e-mail addresses a filter matches: every address and the primary one. */
    static List<String> emailKeys(User user) {
        Set<String> keys = new LinkedHashSet<>();
        if (user.primaryEmailAddress() != null) {
            keys.add(user.primaryEmailAddress().toLowerCase(Locale.ROOT));
        }
        user.emails().forEach(e -> keys.add(e.value().toLowerCase(Locale.ROOT)));
        return new ArrayList<>(keys);
    }

    static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }

    /**
     * SHA-256 of the compared fields, in their fixed order, each as {@code key={"v": json}} (the BSON writer's
     * relaxed JSON). Stored hashes decide whether a record changed, so this text must never change.
     */
    static String hash(Document record) {
        StringBuilder canonical = new StringBuilder(512);
        record.forEach((key, value) -> {
            if (!NOT_COMPARED.contains(key)) {
                canonical.append(key).append('=').append(fieldJson(value)).append('\n');
            }
        });
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The compared fields whose values differ, in record order. */
    static List<String> changedFields(Document before, Document after) {
        List<String> changed = new ArrayList<>();
        after.forEach((key, value) -> {
            if (!NOT_COMPARED.contains(key)
                    && !Objects.equals(fieldJson(value), fieldJson(before == null ? null : before.get(key)))) {
                changed.add(key);
            }
        });
        return changed;
    }

    static String rawJson(Map<String, Object> raw) {
        if (raw == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(raw);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a provider payload could not be written as JSON", e);
        }
    }

    static Map<String, Object> raw(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored provider payload is not JSON", e);
        }
    }

    // Values read back from MongoDB are Documents and ArrayLists where written ones were Documents and Lists;
    // comparing their JSON text sidesteps the difference.
    static String fieldJson(Object value) {
        return new Document("v", value).toJson();
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
