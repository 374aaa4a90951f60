package dev.keyline.platform.sync;

import dev.keyline.platform.account.AccountService;
import dev.keyline.platform.auth.Roles;
import dev.keyline.platform.problem.ApiProblem;
import dev.keyline.platform.sync.SyncDtos.SyncRunPage;
import dev.keyline.platform.sync.SyncDtos.SyncRunView;
import dev.keyline.platform.tenant.CurrentTenant;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Sync runs of one of the tenant's accounts. */
@Path("/accounts/{id}/syncs")
@RolesAllowed(Roles.TENANT)
@Produces(MediaType.APPLICATION_JSON)
public class SyncResource {
    private static final int MAX_PAGE_SIZE = 100;

    private final SyncEngine engine;
    private final SyncRunStore runs;
    private final AccountService accounts;
    private final CurrentTenant tenant;

    public SyncResource(SyncEngine engine, SyncRunStore runs, AccountService accounts, CurrentTenant tenant) {
        this.engine = engine;
        this.runs = runs;
        this.accounts = accounts;
        this.tenant = tenant;
    }

    @POST
    @Operation(summary = "Start a sync of the account now; 202 with the queued run")
    public Response start(@PathParam("id") String accountId) {
        String tenantId = tenant.id();
        QuarkusTransaction.joiningExisting().call(() -> accounts.requireUsable(tenantId, accountId));
        if (runs.leaseHeld(accountId)) {
            throw ApiProblem.conflict(
                    "sync_in_progress", "A sync of this account is running. Follow it with GET /accounts/{id}/syncs.");
        }
        SyncRun run = engine.enqueue(tenantId, accountId, SyncRun.Trigger.MANUAL);
        return Response.accepted(SyncRunView.of(run)).build();
    }

    @GET
    @Operation(summary = "The account's sync runs, newest first, with the progress of a running one")
    public SyncRunPage list(@PathParam("id") String accountId, @QueryParam("page_size") Integer pageSize) {
        String tenantId = tenant.id();
        QuarkusTransaction.joiningExisting().call(() -> accounts.require(tenantId, accountId));
        int size = pageSize == null ? 20 : pageSize;
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw ApiProblem.badRequest("invalid_page_size", "`page_size` must be from 1 to " + MAX_PAGE_SIZE + ".")
                    .field("page_size");
        }
        return new SyncRunPage(runs.list(tenantId, accountId, size).stream()
                .map(SyncRunView::of)
                .toList());
    }
}
