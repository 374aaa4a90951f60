package dev.keyline.platform.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.platform.account.AccountLookup;
import dev.keyline.platform.account.LinkedAccount;
import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.idempotency.Idempotent;
import dev.keyline.platform.sync.SyncDtos.StartSyncRequest;
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
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Sync runs of one of the tenant's accounts. */
@Tag(name = "syncs")
@Path(ApiVersion.PREFIX + "/accounts/{id}/syncs")
@RolesAllowed(Roles.TENANT)
@Produces(MediaType.APPLICATION_JSON)
public class SyncResource {
    private static final int MAX_PAGE_SIZE = 100;

    private final SyncEngine engine;
    private final SyncRunStore runs;
    private final AccountLookup accounts;
    private final CurrentTenant tenant;
    private final ObjectMapper mapper;

    public SyncResource(
            SyncEngine engine, SyncRunStore runs, AccountLookup accounts, CurrentTenant tenant, ObjectMapper mapper) {
        this.engine = engine;
        this.runs = runs;
        this.accounts = accounts;
        this.tenant = tenant;
        this.mapper = mapper;
    }

    @APIResponse(
            responseCode = "202",
            description = "The queued run",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = SyncRunView.class)))
    @APIResponse(
            responseCode = "200",
            description = "A run was already queued for the account: this request joined it",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = SyncRunView.class)))
    @POST
    @Idempotent
    @Operation(
            operationId = "startSync",
            summary = "Start a sync of the account now; 202 with the queued run, or 200 with the run already queued",
            description =
                    "With {\"confirm_deletions\": true}, confirms the deletions the guard refused: only while the"
                            + " account is in error with deletion_guard; that one run may exceed keyline.sync.max-delete-share.")
    public Response start(@PathParam("id") String accountId, String body) {
        String tenantId = tenant.id();
        StartSyncRequest request = parse(body);
        LinkedAccount account =
                QuarkusTransaction.joiningExisting().call(() -> accounts.requireUsable(tenantId, accountId));
        boolean confirm = request != null && Boolean.TRUE.equals(request.confirmDeletions());
        if (confirm
                && !(LinkedAccount.ERROR.equals(account.status)
                        && FailureCode.DELETION_GUARD.wire().equals(account.statusCode))) {
            throw KeylineException.conflict(
                    FailureCode.NOTHING_TO_CONFIRM,
                    "There are no refused deletions to confirm: confirm_deletions is only accepted while the account is"
                            + " in error with deletion_guard.");
        }
        // A run already waiting will read the directory after this request arrived: it answers it, once.
        var waiting = runs.joinQueued(tenantId, accountId, confirm);
        if (waiting.isPresent()) {
            // The run may be waiting for nothing but a worker to look again (a lease that expired meanwhile).
            engine.wake();
            return Response.ok(SyncRunView.of(waiting.get()))
                    .location(runLocation(accountId, waiting.get().id()))
                    .build();
        }
        if (runs.leaseHeld(accountId)) {
            throw KeylineException.conflict(
                    FailureCode.SYNC_IN_PROGRESS,
                    "A sync of this account is running. Follow it with GET /accounts/{id}/syncs.");
        }
        SyncRunStore.Queued queued = engine.enqueue(tenantId, accountId, SyncRun.Trigger.MANUAL, confirm);
        return (queued.joined() ? Response.ok() : Response.accepted())
                .location(runLocation(accountId, queued.run().id()))
                .entity(SyncRunView.of(queued.run()))
                .build();
    }

    static URI runLocation(String accountId, String runId) {
        return URI.create(ApiVersion.PREFIX + "/accounts/" + accountId + "/syncs/" + runId);
    }

    /**
     * The optional body. Read as text so a bare {@code POST} (no body, no content type, as curl -X POST sends) still
     * starts a sync, as it did before the body existed.
     */
    private StartSyncRequest parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return mapper.readValue(body, StartSyncRequest.class);
        } catch (JsonProcessingException e) {
            throw KeylineException.invalid(
                    FailureCode.INVALID_REQUEST,
                    "The body must be empty or a JSON object such as {\"confirm_deletions\": true}.");
        }
    }

    @GET
    @Operation(
            operationId = "listSyncs",
            summary = "The account's sync runs, newest first, with the progress of a running one")
    public SyncRunPage list(@PathParam("id") String accountId, @QueryParam("page_size") Integer pageSize) {
        String tenantId = tenant.id();
        QuarkusTransaction.joiningExisting().call(() -> accounts.require(tenantId, accountId));
        int size = pageSize == null ? 20 : pageSize;
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw KeylineException.invalid(
                            FailureCode.INVALID_PAGE_SIZE, "`page_size` must be from 1 to " + MAX_PAGE_SIZE + ".")
                    .field("page_size");
        }
        return new SyncRunPage(runs.list(tenantId, accountId, size).stream()
                .map(SyncRunView::of)
                .toList());
    }

    @GET
    @Path("/{run_id}")
    @Operation(operationId = "getSync", summary = "One sync run of the account, with its progress while it runs")
    public SyncRunView get(@PathParam("id") String accountId, @PathParam("run_id") String runId) {
        String tenantId = tenant.id();
        QuarkusTransaction.joiningExisting().call(() -> accounts.require(tenantId, accountId));
        return runs.find(runId)
                .filter(run ->
                        run.tenantId().equals(tenantId) && run.accountId().equals(accountId))
                .map(SyncRunView::of)
                .orElseThrow(() -> KeylineException.notFound("Sync run " + runId));
    }
}
