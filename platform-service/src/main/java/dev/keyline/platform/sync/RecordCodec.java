package dev.keyline.platform.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserStatus;
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
        List<Document> groups = new ArrayList<>();
        for (GroupRef ref : user.groups()) {
            groups.add(new Document("remote_id", ref.remoteId()).append("name", ref.name()));
        }
        d.put("groups", groups);
        d.put(
                "roles",
                new ArrayList<>(user.roles().stream().map(r -> r.remoteId()).toList()));
        d.put("created_at", text(user.createdAt()));
        d.put("updated_at", text(user.updatedAt()));
        return d;
    }

    static Document group(Group group) {
        Document d = new Document();
        d.put("name", group.name());
        d.put("description", group.description());
        d.put("type", group.type());
        if (group.members() == null) {
            d.put("members", null);
        } else {
            List<Document> members = new ArrayList<>();
            for (MemberRef ref : group.members()) {
                members.add(new Document("remote_id", ref.remoteId()).append("username", ref.username()));
            }
            d.put("members", members);
        }
        d.put("member_count", group.memberCount());
        d.put("created_at", text(group.createdAt()));
        d.put("updated_at", text(group.updatedAt()));
        return d;
    }

    static User user(String remoteId, Document d, Map<String, Object> raw) {
        List<Email> emails = new ArrayList<>();
        for (Document e : d.getList("emails", Document.class, List.of())) {
            emails.add(
                    new Email(e.getString("value"), e.getString("type"), Boolean.TRUE.equals(e.getBoolean("primary"))));
        }
        List<GroupRef> groups = new ArrayList<>();
        for (Document g : d.getList("groups", Document.class, List.of())) {
            groups.add(new GroupRef(g.getString("remote_id"), g.getString("name")));
        }
        Document status = d.get("status", Document.class);
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
                .groups(groups)
                .roleNames(d.getList("roles", String.class, List.of()))
                .createdAt(instant(d.getString("created_at")))
                .updatedAt(instant(d.getString("updated_at")))
                .raw(raw)
                .build();
    }

    static Group group(String remoteId, Document d, Map<String, Object> raw) {
        List<MemberRef> members = null;
        if (d.get("members") != null) {
            members = new ArrayList<>();
            for (Document m : d.getList("members", Document.class)) {
                members.add(new MemberRef(m.getString("remote_id"), m.getString("username")));
            }
        }
        return new Group(
                remoteId,
                d.getString("name"),
                d.getString("description"),
                d.getString("type"),
                members,
                d.getInteger("member_count"),
                instant(d.getString("created_at")),
                instant(d.getString("updated_at")),
                raw);
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
