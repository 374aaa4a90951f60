package dev.keyline.platform.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.sync.SyncDtos.SnapshotView;
import dev.keyline.platform.tenant.CurrentTenant;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The account's whole synced directory at this moment, as a download: the evidence an access review asks for. */
@Tag(name = "syncs")
@Path(ApiVersion.PREFIX + "/accounts/{id}/snapshot")
@RolesAllowed(Roles.TENANT)
public class SnapshotResource {
    /** When the account last completed a sync, the time the snapshot's data stands for. */
    public static final String SYNCED_AT_HEADER = "Keyline-Synced-At";

    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final MongoStore store;
    private final SyncedReads reads;
    private final CurrentTenant tenant;
    private final ObjectMapper mapper;

    public SnapshotResource(MongoStore store, SyncedReads reads, CurrentTenant tenant, ObjectMapper mapper) {
        this.store = store;
        this.reads = reads;
        this.tenant = tenant;
        this.mapper = mapper;
    }

    @GET
    @Produces({"application/json", "text/csv"})
    @Operation(
            operationId = "getSnapshot",
            summary = "Download the account's synced users (with status, emails, groups) and groups (with members)")
    @APIResponse(
            responseCode = "200",
            description = "The whole synced directory: JSON (format=json) or RFC 4180 CSV (format=csv)",
            content = {
                @Content(mediaType = "application/json", schema = @Schema(implementation = SnapshotView.class)),
                @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING))
            })
    public Response snapshot(
            @PathParam("id") String accountId,
            @Parameter(description = "json (default) or csv") @QueryParam("format") String format,
            @Parameter(description = "Include records the provider deleted; false by default")
                    @QueryParam("include_deleted")
                    String includeDeleted) {
        String kind =
                format == null || format.isBlank() ? "json" : format.strip().toLowerCase(Locale.ROOT);
        if (!kind.equals("json") && !kind.equals("csv")) {
            throw KeylineException.invalid(FailureCode.INVALID_PARAMETER, "`format` must be json or csv.")
                    .field("format");
        }
        boolean deleted = bool("include_deleted", includeDeleted);
        String tenantId = tenant.id();
        Instant syncedAt = reads.lastSync(tenantId, accountId).orElseThrow(SyncedReads::notSynced);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Snapshot snapshot = new Snapshot(store, tenantId, accountId, deleted);
        StreamingOutput body =
                kind.equals("csv") ? snapshot::writeCsv : out -> snapshot.writeJson(out, mapper, syncedAt, now);
        String filename = "keyline-" + accountId + "-snapshot-" + FILE_TIME.format(now) + "." + kind;
        return Response.ok(body, kind.equals("csv") ? "text/csv; charset=utf-8" : "application/json")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"")
                .header(SYNCED_AT_HEADER, syncedAt.toString())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    private static boolean bool(String name, String value) {
        if (value == null || value.isBlank() || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw KeylineException.invalid(FailureCode.INVALID_PARAMETER, "`" + name + "` must be true or false.")
                .field(name);
    }
}
