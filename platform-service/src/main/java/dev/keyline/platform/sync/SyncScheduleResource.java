package dev.keyline.platform.sync;

import dev.keyline.platform.account.AccountLookup;
import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.sync.SyncDtos.ScheduleRequest;
import dev.keyline.platform.sync.SyncDtos.ScheduleView;
import dev.keyline.platform.tenant.CurrentTenant;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** How often one of the tenant's accounts is synced on schedule. */
@Tag(name = "syncs")
@Path(ApiVersion.PREFIX + "/accounts/{id}/sync-schedule")
@RolesAllowed(Roles.TENANT)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SyncScheduleResource {
    private static final int MIN_SECONDS = 60;
    private static final int MAX_SECONDS = 7 * 24 * 3600;

    private final SyncRunStore runs;
    private final AccountLookup accounts;
    private final CurrentTenant tenant;
    private final SyncConfig config;

    public SyncScheduleResource(SyncRunStore runs, AccountLookup accounts, CurrentTenant tenant, SyncConfig config) {
        this.runs = runs;
        this.accounts = accounts;
        this.tenant = tenant;
        this.config = config;
    }

    @GET
    @Operation(
            operationId = "getSyncSchedule",
            summary = "The account's sync interval and when its next scheduled sync is due")
    public ScheduleView get(@PathParam("id") String accountId) {
        String tenantId = tenant.id();
        QuarkusTransaction.joiningExisting().call(() -> accounts.require(tenantId, accountId));
        return view(runs.schedule(accountId).orElse(new SyncRunStore.Schedule(null, null, null)));
    }

    @PUT
    @Operation(
            operationId = "putSyncSchedule",
            summary = "Set the account's own sync interval, or null for the default")
    @APIResponse(responseCode = "200", description = "The account's schedule as it now applies")
    @APIResponse(
            responseCode = "409",
            description = "`account_not_active`: the account was unlinked",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public ScheduleView put(@PathParam("id") String accountId, @NotNull ScheduleRequest request) {
        String tenantId = tenant.id();
        QuarkusTransaction.joiningExisting().call(() -> accounts.requireUsable(tenantId, accountId));
        Integer seconds = request.intervalSeconds();
        if (seconds != null && (seconds < MIN_SECONDS || seconds > MAX_SECONDS)) {
            throw KeylineException.invalid(
                            FailureCode.INVALID_REQUEST,
                            "`interval_seconds` must be from " + MIN_SECONDS + " to " + MAX_SECONDS
                                    + ", or null for the default.")
                    .field("interval_seconds");
        }
        return view(
                runs.schedule(tenantId, accountId, seconds, config.scheduler().interval()));
    }

    private ScheduleView view(SyncRunStore.Schedule schedule) {
        long effective = schedule.intervalSeconds() == null
                ? config.scheduler().interval().toSeconds()
                : schedule.intervalSeconds();
        return new ScheduleView(schedule.intervalSeconds(), effective, schedule.nextDueAt(), schedule.lastSuccessAt());
    }
}
