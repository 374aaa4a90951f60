package dev.keyline.platform.sync;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;

import dev.keyline.platform.account.AccountLookup;
import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.api.Params;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.sync.SyncDtos.ChangePage;
import dev.keyline.platform.sync.SyncDtos.ChangeView;
import dev.keyline.platform.tenant.CurrentTenant;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The account's change log, in sequence order. Entries are at-least-once: a crashed sync may repeat some. Pages
 * like every list ({@code cursor}, {@code next}); {@code since} starts after a sequence number a client kept, which is
 * how it resumes once {@code next} is null at the end of the log.
 */
@Tag(name = "syncs")
@Path(ApiVersion.PREFIX + "/accounts/{id}/changes")
@RolesAllowed(Roles.TENANT)
@Produces(MediaType.APPLICATION_JSON)
public class ChangeFeedResource {
    private static final int DEFAULT_PAGE_SIZE = 100;
    private static final int MAX_PAGE_SIZE = 1000;

    private final MongoStore store;
    private final AccountLookup accounts;
    private final CurrentTenant tenant;

    public ChangeFeedResource(MongoStore store, AccountLookup accounts, CurrentTenant tenant) {
        this.store = store;
        this.accounts = accounts;
        this.tenant = tenant;
    }

    @GET
    @Operation(
            operationId = "listChanges",
            summary = "Changes Keyline saw in the account's directory, in sequence order",
            description = "Follow `next` with `cursor` to the end of the log (`next` is null there). To resume later,"
                    + " keep the last entry's `sequence` and ask again with `since`: the feed never loses an entry"
                    + " after it, and may repeat a few (at-least-once).")
    public ChangePage changes(
            @PathParam("id") String accountId,
            @Parameter(
                            description = "Start after this sequence number (the last one a client processed); 0 or"
                                    + " absent for the whole log. Not with `cursor`",
                            schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
                    @QueryParam("since")
                    String since,
            @Parameter(description = "The `next` value of the previous page, unchanged") @QueryParam("cursor")
                    String cursor,
            @Parameter(
                            description = "Entries per page",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            minimum = "1",
                                            maximum = "" + MAX_PAGE_SIZE,
                                            defaultValue = "" + DEFAULT_PAGE_SIZE))
                    @QueryParam("page_size")
                    String pageSize) {
        String tenantId = tenant.id();
        QuarkusTransaction.joiningExisting().call(() -> accounts.require(tenantId, accountId));
        if (since != null && cursor != null) {
            throw KeylineException.invalid(
                            FailureCode.CONFLICTING_PARAMETERS,
                            "Give `since` to start after a sequence number, or `cursor` to page on; not both.")
                    .field("cursor");
        }
        long after = cursor == null ? sequence(since) : position(cursor);
        int size = Params.pageSize(pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        List<Document> docs = store.changes()
                .find(and(eq("tenant_id", tenantId), eq("account_id", accountId), gt("sequence", after)))
                .sort(new Document("sequence", 1))
                .limit(size + 1)
                .into(new ArrayList<>());
        List<ChangeView> data = new ArrayList<>();
        for (Document d : docs.subList(0, Math.min(size, docs.size()))) {
            data.add(new ChangeView(
                    d.getLong("sequence"),
                    d.getString("type"),
                    d.getString("change"),
                    d.getString("id"),
                    d.getString("remote_id"),
                    d.getList("fields", String.class, List.of()),
                    d.getDate("at").toInstant(),
                    d.getString("run_id")));
        }
        // The cursor is the page's last sequence number, unsigned: it reveals nothing the page did not, the query is
        // bound to the tenant and account anyway, and clients written before `cursor` existed pass `next` back as
        // `since`, which keeps working.
        String next = docs.size() > size ? String.valueOf(data.get(size - 1).sequence()) : null;
        return new ChangePage(data, next);
    }

    private static long sequence(String since) {
        if (since == null || since.isBlank()) {
            return 0;
        }
        try {
            long n = Long.parseLong(since.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the problem below
        }
        throw Params.invalid("since", "`since` must be a sequence number: a whole number from 0.");
    }

    private static long position(String cursor) {
        try {
            long n = Long.parseLong(cursor.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the problem below
        }
        throw KeylineException.invalid(
                        FailureCode.INVALID_CURSOR, "`cursor` must be the `next` value of a previous page, unchanged.")
                .field("cursor");
    }
}
