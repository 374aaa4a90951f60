package dev.keyline.platform.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.api.Params;
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
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
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

    private static final List<String> FORMATS = List.of("json", "csv");
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
            summary = "Download the account's synced users (with status, emails, groups, roles, privilege, MFA), groups"
                    + " (with members) and roles (with assignments)")
    @APIResponse(
            responseCode = "200",
            description = "The whole synced directory: JSON (format=json) or RFC 4180 CSV (format=csv)",
            headers = {
                @Header(
                        name = SYNCED_AT_HEADER,
                        description = "When the account last completed a sync: the time the data stands for",
                        schema = @Schema(type = SchemaType.STRING, format = "date-time")),
                @Header(
                        name = HttpHeaders.CONTENT_DISPOSITION,
                        description = "attachment; filename=\"keyline-{account}-snapshot-{time}.{json|csv}\"",
                        schema = @Schema(type = SchemaType.STRING)),
                @Header(
                        name = HttpHeaders.CACHE_CONTROL,
                        description = "no-store",
                        schema = @Schema(type = SchemaType.STRING))
            },
            content = {
                @Content(mediaType = "application/json", schema = @Schema(implementation = SnapshotView.class)),
                @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING))
            })
    @APIResponse(
            responseCode = "409",
            description = "`not_synced`: the account has not completed a sync yet; `account_not_active`: it was"
                    + " unlinked",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public Response snapshot(
            @PathParam("id") String accountId,
            @Parameter(
                            description = "The download's format",
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            enumeration = {"json", "csv"},
                                            defaultValue = "json"))
                    @QueryParam("format")
                    String format,
            @Parameter(
                            description = "Include records the provider deleted",
                            schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false"))
                    @QueryParam("include_deleted")
                    String includeDeleted) {
        String kind = Objects.requireNonNullElse(Params.oneOf("format", format, FORMATS), "json");
        boolean deleted = Params.flag("include_deleted", includeDeleted);
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
}
