package dev.keyline.platform.sync;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Role;
import dev.keyline.platform.directory.IamDtos;
import dev.keyline.platform.directory.IamDtos.EmailDto;
import dev.keyline.platform.directory.IamDtos.GroupDto;
import dev.keyline.platform.directory.IamDtos.GroupRefDto;
import dev.keyline.platform.directory.IamDtos.MemberDto;
import dev.keyline.platform.directory.IamDtos.RoleDto;
import dev.keyline.platform.directory.IamDtos.RoleRefDto;
import dev.keyline.platform.directory.IamDtos.UserDto;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Writes an account's whole synced directory as JSON or CSV, record by record from a MongoDB cursor: memory holds
 * one cursor batch, whatever the directory's size.
 */
final class Snapshot {
    /** Records fetched per cursor round trip. */
    static final int BATCH = 500;

    static final List<String> CSV_COLUMNS = List.of(
            "record_type",
            "id",
            "remote_id",
            "name",
            "username",
            "first_name",
            "last_name",
            "primary_email_address",
            "emails",
            "status",
            "source_status",
            "is_bot_user",
            "group_ids",
            "group_names",
            "member_ids",
            "member_usernames",
            "member_count",
            "description",
            "created_at",
            "updated_at",
            "first_seen_at",
            "last_seen_at",
            "remote_was_deleted",
            "deleted_at",
            // Added with the access-review model, after the older columns so their positions hold.
            "type",
            "source_type",
            "is_privileged",
            "mfa_enrolled",
            "mfa_methods",
            "last_login_at",
            "department",
            "title",
            "manager_id",
            "role_ids",
            "role_names",
            "scope",
            "permissions");

    /**
     * Separates the values of a multi-valued CSV cell (emails, groups, roles, members, permissions); the JSON form
     * keeps them apart.
     */
    static final String MULTI_VALUE_SEPARATOR = "; ";

    private final MongoStore store;
    private final String tenantId;
    private final String accountId;
    private final boolean includeDeleted;

    Snapshot(MongoStore store, String tenantId, String accountId, boolean includeDeleted) {
        this.store = store;
        this.tenantId = tenantId;
        this.accountId = accountId;
        this.includeDeleted = includeDeleted;
    }

    void writeJson(OutputStream out, ObjectMapper mapper, Instant syncedAt, Instant generatedAt) throws IOException {
        try (JsonGenerator json =
                mapper.getFactory().createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
            json.writeStartObject();
            json.writeStringField("account_id", accountId);
            json.writeStringField("synced_at", syncedAt.toString());
            json.writeStringField("generated_at", generatedAt.toString());
            json.writeBooleanField("include_deleted", includeDeleted);
            json.writeArrayFieldStart("users");
            forEach(store.users(), doc -> mapper.writeValue(json, SyncedReads.user(doc, false)));
            json.writeEndArray();
            json.writeArrayFieldStart("groups");
            forEach(store.groups(), doc -> mapper.writeValue(json, group(doc)));
            json.writeEndArray();
            json.writeArrayFieldStart("roles");
            forEach(store.roles(), doc -> mapper.writeValue(json, role(doc)));
            json.writeEndArray();
            json.writeEndObject();
        }
        out.flush();
    }

    /** RFC 4180: CRLF line ends, every cell quoted, quotes doubled; see {@link #cell} for formula defusing. */
    void writeCsv(OutputStream out) throws IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        row(writer, CSV_COLUMNS);
        forEach(store.users(), doc -> row(writer, cells(userCells(SyncedReads.user(doc, false)))));
        forEach(store.groups(), doc -> {
            Map<String, String> cells = recordCells(doc);
            GroupDto g = group(doc);
            cells.put("record_type", "group");
            cells.put("id", g.id());
            cells.put("name", text(g.name()));
            cells.put("member_ids", join(g.members(), MemberDto::id));
            cells.put("member_usernames", join(g.members(), MemberDto::username));
            cells.put("member_count", text(g.memberCount()));
            cells.put("description", text(g.description()));
            cells.put("created_at", text(g.createdAt()));
            cells.put("updated_at", text(g.updatedAt()));
            cells.put("is_privileged", text(g.isPrivileged()));
            row(writer, cells(cells));
        });
        forEach(store.roles(), doc -> {
            Map<String, String> cells = recordCells(doc);
            RoleDto r = role(doc);
            cells.put("record_type", "role");
            cells.put("id", r.id());
            cells.put("name", text(r.name()));
            cells.put("group_ids", join(r.groups(), GroupRefDto::id));
            cells.put("group_names", join(r.groups(), GroupRefDto::name));
            cells.put("member_ids", join(r.members(), MemberDto::id));
            cells.put("member_usernames", join(r.members(), MemberDto::username));
            cells.put("description", text(r.description()));
            cells.put("created_at", text(r.createdAt()));
            cells.put("updated_at", text(r.updatedAt()));
            cells.put("is_privileged", text(r.privileged()));
            cells.put("scope", text(r.scope()));
            cells.put("permissions", join(r.permissions(), p -> p));
            row(writer, cells(cells));
        });
        writer.flush();
    }

    private static Map<String, String> userCells(UserDto u) {
        Map<String, String> cells = new HashMap<>();
        cells.put("record_type", "user");
        cells.put("id", u.id());
        cells.put("remote_id", u.remoteId());
        cells.put("name", text(u.name()));
        cells.put("username", text(u.username()));
        cells.put("first_name", text(u.firstName()));
        cells.put("last_name", text(u.lastName()));
        cells.put("primary_email_address", text(u.primaryEmailAddress()));
        cells.put("emails", join(u.emails(), EmailDto::value));
        cells.put("status", u.status() == null ? "" : text(u.status().value()));
        cells.put("source_status", u.status() == null ? "" : text(u.status().sourceValue()));
        cells.put("is_bot_user", String.valueOf(u.isBotUser()));
        cells.put("group_ids", join(u.groups(), GroupRefDto::id));
        cells.put("group_names", join(u.groups(), GroupRefDto::name));
        cells.put("created_at", text(u.createdAt()));
        cells.put("updated_at", text(u.updatedAt()));
        cells.put("first_seen_at", text(u.firstSeenAt()));
        cells.put("last_seen_at", text(u.lastSeenAt()));
        cells.put("remote_was_deleted", String.valueOf(u.remoteWasDeleted()));
        cells.put("deleted_at", text(u.deletedAt()));
        cells.put("type", u.type() == null ? "" : u.type().value());
        cells.put("source_type", u.type() == null ? "" : text(u.type().sourceValue()));
        cells.put("is_privileged", text(u.isPrivileged()));
        cells.put("mfa_enrolled", u.mfa() == null ? "" : text(u.mfa().enrolled()));
        cells.put("mfa_methods", u.mfa() == null ? "" : join(u.mfa().methods(), m -> m));
        cells.put("last_login_at", text(u.lastLoginAt()));
        cells.put("department", text(u.department()));
        cells.put("title", text(u.title()));
        cells.put("manager_id", text(u.managerId()));
        cells.put("role_ids", join(u.roles(), RoleRefDto::id));
        cells.put("role_names", join(u.roles(), RoleRefDto::name));
        return cells;
    }

    /** The cells every stored record has, whatever its type. */
    private static Map<String, String> recordCells(Document doc) {
        Map<String, String> cells = new HashMap<>();
        cells.put("remote_id", doc.getString("remote_id"));
        cells.put("first_seen_at", text(date(doc, "first_seen_at")));
        cells.put("last_seen_at", text(date(doc, "last_seen_at")));
        cells.put("remote_was_deleted", String.valueOf(Boolean.TRUE.equals(doc.getBoolean("remote_was_deleted"))));
        cells.put("deleted_at", text(date(doc, "deleted_at")));
        return cells;
    }

    /** A row's cells in column order; a column the record has no value for is empty. */
    private static List<String> cells(Map<String, String> cells) {
        return CSV_COLUMNS.stream().map(c -> cells.getOrDefault(c, "")).toList();
    }

    /** A group with its members; those the provider listed without a username get the synced user's. */
    private GroupDto group(Document doc) {
        Group group = RecordCodec.group(doc.getString("remote_id"), doc.get("record", Document.class), null);
        Group named = new Group(
                group.remoteId(),
                group.name(),
                group.description(),
                group.type(),
                named(group.members()),
                group.memberCount(),
                group.createdAt(),
                group.updatedAt(),
                null,
                group.privileged());
        return IamDtos.group(named, true, Boolean.TRUE.equals(doc.getBoolean("remote_was_deleted")));
    }

    /** As {@link #group}, for a role's direct members; its groups as assigned. */
    private RoleDto role(Document doc) {
        Role role = RecordCodec.role(doc.getString("remote_id"), doc.get("record", Document.class), null);
        return IamDtos.role(
                role.toBuilder().members(named(role.members())).build(),
                true,
                Boolean.TRUE.equals(doc.getBoolean("remote_was_deleted")));
    }

    private List<MemberRef> named(List<MemberRef> members) {
        return MemberNaming.named(
                members, MemberNaming.lookup(store, tenantId, accountId, Collections.singletonList(members)));
    }

    private static void row(Writer writer, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                writer.write(',');
            }
            writer.write(cell(cells.get(i)));
        }
        writer.write("\r\n");
    }

    /** One RFC 4180 cell, defused against spreadsheet formulas; see {@link CsvCells#cell}. */
    static String cell(String value) {
        return CsvCells.cell(value);
    }

    /** A write that may fail on I/O (a client that hung up). */
    private interface RecordWriter {
        void write(Document doc) throws IOException;
    }

    /** Sorted by remote id (the unique index), a batch at a time; the cursor is closed however writing ends. */
    private void forEach(MongoCollection<Document> records, RecordWriter writer) throws IOException {
        List<Bson> filters = new ArrayList<>(List.of(eq("tenant_id", tenantId), eq("account_id", accountId)));
        if (!includeDeleted) {
            filters.add(eq("remote_was_deleted", false));
        }
        try (MongoCursor<Document> cursor = records.find(and(filters))
                .sort(new Document("remote_id", 1))
                .batchSize(BATCH)
                .iterator()) {
            while (cursor.hasNext()) {
                writer.write(cursor.next());
            }
        }
    }

    private static <T> String join(List<T> values, Function<T, String> part) {
        if (values == null || values.isEmpty()) {
            return "";
        }
        return values.stream().map(part).filter(Objects::nonNull).collect(Collectors.joining(MULTI_VALUE_SEPARATOR));
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static Instant date(Document doc, String field) {
        Date date = doc.getDate(field);
        return date == null ? null : date.toInstant();
    }
}
