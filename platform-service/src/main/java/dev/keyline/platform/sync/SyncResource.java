package dev.keyline.platform.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.platform.account.AccountLookup;
import dev.keyline.platform.account.LinkedAccount;
import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.api.Params;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.directory.CursorCodec;
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
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Sync runs of one of the tenant's accounts. */
@Tag(name = "syncs")
@Path(ApiVersion.PREFIX + "/accounts/{id}/syncs")
@RolesAllowed(Roles.TENANT)
@Produces(MediaType.APPLICATION_JSON)
public class SyncResource {
    private static final int DEFAULT_PAGE_SIZE = 20;
    private static final int MAX_PAGE_SIZE = 100;
    private static final String RUN_LOCATION_DOC = "The run's own URL, to follow it (getSync)";

    private final SyncEngine engine;
    private final SyncRunStore runs;
    private final AccountLookup accounts;
    private final CurrentTenant tenant;
    private final ObjectMapper mapper;
    private final CursorCodec cursors;

    public SyncResource(
            SyncEngine engine,
            SyncRunStore runs,
            AccountLookup accounts,
            CurrentTenant tenant,
            ObjectMapper mapper,
            CursorCodec cursors) {
        this.cursors = cursors;
        this.engine = engine;
        this.runs = runs;
        this.accounts = accounts;
        this.tenant = tenant;
        this.mapper = mapper;
    }

    @APIResponse(
            responseCode = "202",
            description = "The queued run",
            headers =
                    @Header(
                            name = "Location",
                            description = RUN_LOCATION_DOC,
                            schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = SyncRunView.class)))
    @APIResponse(
            responseCode = "200",
            description = "A run was already queued for the account: this request joined it",
            headers =
                    @Header(
                            name = "Location",
                            description = RUN_LOCATION_DOC,
                            schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = SyncRunView.class)))
    @APIResponse(
            responseCode = "409",
            description =
                    "`sync_in_progress`: a sync of the account is running; `nothing_to_confirm`: confirm_deletions"
                            + " without refused deletions; `account_not_active`: the account was unlinked",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    @POST
    @Idempotent
    @Operation(
            operationId = "startSync",
            summary = "Start a sync of the account now; 202 with the queued run, or 200 with the run already queued",
            description =
                    "The body is optional: a bare POST starts a sync. With {\"confirm_deletions\": true}, confirms the"
                            + " deletions the guard refused: only while the account is in error with deletion_guard;"
                            + " that one run may exceed keyline.sync.max-delete-share.")
    public Response start(
            @PathParam("id") String accountId,
            @RequestBody(
                            required = false,
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            schema = @Schema(implementation = StartSyncRequest.class)))
                    String body) {
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
    public SyncRunPage list(
            @PathParam("id") String accountId,
            @Parameter(description = "The `next` value of the previous page, unchanged") @QueryParam("cursor")
                    String cursor,
            @Parameter(
                            description = "Runs per page",
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
        int size = Params.pageSize(pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        String scope = CursorCodec.scope(tenantId, accountId, "syncs");
        RunPosition after = cursor == null || cursor.isBlank() ? null : RunPosition.decode(cursors, scope, cursor);
        List<SyncRun> rows = after == null
                ? runs.list(tenantId, accountId, size + 1)
                : runs.listBefore(tenantId, accountId, after.createdAt(), after.id(), size + 1);
        List<SyncRun> shown = rows.subList(0, Math.min(size, rows.size()));
        String next = rows.size() > size ? RunPosition.of(shown.get(size - 1)).encode(cursors, scope) : null;
        return new SyncRunPage(shown.stream().map(SyncRunView::of).toList(), next);
    }

    /** Where a page of runs stops: the last run's creation instant and id, signed into an opaque cursor. */
    private record RunPosition(Instant createdAt, String id) {
        static RunPosition of(SyncRun run) {
            return new RunPosition(run.createdAt(), run.id());
        }

        String encode(CursorCodec cursors, String scope) {
            return cursors.encode(scope, createdAt + " " + id);
        }

        static RunPosition decode(CursorCodec cursors, String scope, String cursor) {
            String position;
            try {
                position = cursors.decode(scope, cursor.strip());
            } catch (KeylineException e) {
                throw e.field("cursor");
            }
            int space = position.indexOf(' ');
            return new RunPosition(Instant.parse(position.substring(0, space)), position.substring(space + 1));
        }
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
