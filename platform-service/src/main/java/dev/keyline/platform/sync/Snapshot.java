package dev.keyline.platform.sync;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import dev.keyline.platform.directory.IamDtos.EmailDto;
import dev.keyline.platform.directory.IamDtos.GroupDto;
import dev.keyline.platform.directory.IamDtos.GroupRefDto;
import dev.keyline.platform.directory.IamDtos.MemberDto;
import dev.keyline.platform.directory.IamDtos.UserDto;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
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
            "deleted_at");

    /** Separates the values of a multi-valued CSV cell (emails, groups, members); the JSON form keeps them apart. */
    static final String MULTI_VALUE_SEPARATOR = "; ";

    /** Characters after which an importer may start a new cell: separators, quotes and line ends. */
    private static final String CELL_BREAKS = ",;\"'\r\n\t|";

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
            forEach(store.groups(), doc -> mapper.writeValue(json, SyncedReads.group(doc, true, false)));
            json.writeEndArray();
            json.writeEndObject();
        }
        out.flush();
    }

    /** RFC 4180: CRLF line ends, every cell quoted, quotes doubled; see {@link #cell} for formula defusing. */
    void writeCsv(OutputStream out) throws IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        row(writer, CSV_COLUMNS);
        forEach(store.users(), doc -> {
            UserDto u = SyncedReads.user(doc, false);
            row(
                    writer,
                    List.of(
                            "user",
                            u.id(),
                            u.remoteId(),
                            text(u.name()),
                            text(u.username()),
                            text(u.firstName()),
                            text(u.lastName()),
                            text(u.primaryEmailAddress()),
                            join(u.emails(), EmailDto::value),
                            u.status() == null ? "" : text(u.status().value()),
                            u.status() == null ? "" : text(u.status().sourceValue()),
                            String.valueOf(u.isBotUser()),
                            join(u.groups(), GroupRefDto::id),
                            join(u.groups(), GroupRefDto::name),
                            "",
                            "",
                            "",
                            "",
                            text(u.createdAt()),
                            text(u.updatedAt()),
                            text(u.firstSeenAt()),
                            text(u.lastSeenAt()),
                            String.valueOf(u.remoteWasDeleted()),
                            text(u.deletedAt())));
        });
        forEach(store.groups(), doc -> {
            GroupDto g = SyncedReads.group(doc, true, false);
            row(
                    writer,
                    List.of(
                            "group",
                            g.id(),
                            g.remoteId(),
                            text(g.name()),
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            join(g.members(), MemberDto::id),
                            join(g.members(), MemberDto::username),
                            text(g.memberCount()),
                            text(g.description()),
                            text(g.createdAt()),
                            text(g.updatedAt()),
                            text(date(doc, "first_seen_at")),
                            text(date(doc, "last_seen_at")),
                            String.valueOf(g.remoteWasDeleted()),
                            text(date(doc, "deleted_at"))));
        });
        writer.flush();
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

    /**
     * One CSV cell, after OWASP's CSV-injection guidance. Every cell is quoted (quotes doubled), so a comma,
     * semicolon or line break inside it never starts another cell, whatever separator the spreadsheet assumes.
     * A cell a spreadsheet could run as a formula gets a leading apostrophe and stays text: one whose first
     * character after leading whitespace is a formula trigger, and one holding a separator or quote followed
     * (after whitespace) by a trigger, since an importer that splits on that separator would start a new cell
     * there ("ok;=HYPERLINK(...)"). Defusing the whole cell rather than the inner position keeps the value
     * readable and its meaning unchanged for a reader that does not split.
     */
    static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "\"\"";
        }
        String safe = formulaAt(value, 0) || formulaAfterSeparator(value) ? "'" + value : value;
        return '"' + safe.replace("\"", "\"\"") + '"';
    }

    /** Whether, skipping whitespace from {@code from}, the next character makes a spreadsheet read a formula. */
    private static boolean formulaAt(String value, int from) {
        int i = from;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (isFormulaTrigger(c)) {
                return true;
            }
            if (!Character.isWhitespace(c) && !Character.isSpaceChar(c)) {
                return false;
            }
            i++;
        }
        return false;
    }

    private static boolean formulaAfterSeparator(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (CELL_BREAKS.indexOf(value.charAt(i)) >= 0 && formulaAt(value, i + 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * OWASP's list (=, +, -, @, tab, carriage return) and their full-width forms, which some spreadsheets
     * normalise to the ASCII ones.
     */
    private static boolean isFormulaTrigger(char c) {
        return switch (c) {
            case '=', '+', '-', '@', '\t', '\r', '\uff1d', '\uff0b', '\uff0d', '\uff20' -> true;
            default -> false;
        };
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
