package dev.keyline.platform.sync;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;

import dev.keyline.platform.account.AccountLookup;
import dev.keyline.platform.api.ApiVersion;
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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The account's change log, in sequence order. Entries are at-least-once: a crashed sync may repeat some. */
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
            summary = "Changes Keyline saw in the account's directory after a sequence number")
    public ChangePage changes(
            @PathParam("id") String accountId,
            @Parameter(description = "Only entries after this sequence number; 0 or absent for the whole log")
                    @QueryParam("since")
                    String since,
            @QueryParam("page_size") String pageSize) {
        String tenantId = tenant.id();
        QuarkusTransaction.joiningExisting().call(() -> accounts.require(tenantId, accountId));
        long after = number("since", since, 0, Long.MAX_VALUE, 0);
        int size = (int) number("page_size", pageSize, 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
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
        String next = docs.size() > size ? String.valueOf(data.get(size - 1).sequence()) : null;
        return new ChangePage(data, next);
    }

    private static long number(String name, String value, long min, long max, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the problem below
        }
        throw KeylineException.invalid(
                        FailureCode.INVALID_PARAMETER,
                        "`" + name + "` must be a whole number from " + min + " to " + max + ".")
                .field(name);
    }
}
