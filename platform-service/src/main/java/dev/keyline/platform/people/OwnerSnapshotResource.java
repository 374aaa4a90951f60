package dev.keyline.platform.people;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.api.Params;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.people.PeopleDtos.OwnerSnapshotDto;
import dev.keyline.platform.tenant.CurrentTenant;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
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

/**
 * The evidence an access review asks for, across an origin owner's linked accounts: who has access to what, as of
 * which sync, and who lost it since the last review.
 */
@Tag(name = "people")
@Path(ApiVersion.PREFIX + "/snapshot")
@RolesAllowed(Roles.TENANT)
public class OwnerSnapshotResource {
    private static final List<String> FORMATS = List.of("json", "csv");
    private static final List<String> SCOPES = List.of("owner");
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final PeopleService people;
    private final CurrentTenant tenant;
    private final ObjectMapper mapper;

    public OwnerSnapshotResource(PeopleService people, CurrentTenant tenant, ObjectMapper mapper) {
        this.people = people;
        this.tenant = tenant;
        this.mapper = mapper;
    }

    @GET
    @Produces({"application/json", "text/csv"})
    @Operation(
            operationId = "getOwnerSnapshot",
            summary = "Download an origin owner's people across its linked accounts, with who was removed since a"
                    + " date",
            description = "JSON: the accounts with their last sync, the people, the unmatched, and with `since` the"
                    + " users deleted at the provider or disabled after it. CSV: one row per (person, account), with"
                    + " `removed` and `removed_at` filled for those users. Synced data only.")
    @APIResponse(
            responseCode = "200",
            description = "The owner's evidence: JSON (format=json) or RFC 4180 CSV (format=csv)",
            headers = {
                @Header(
                        name = HttpHeaders.CONTENT_DISPOSITION,
                        description = "attachment; filename=\"keyline-owner-snapshot-{time}.{json|csv}\"",
                        schema = @Schema(type = SchemaType.STRING)),
                @Header(
                        name = HttpHeaders.CACHE_CONTROL,
                        description = "no-store",
                        schema = @Schema(type = SchemaType.STRING))
            },
            content = {
                @Content(mediaType = "application/json", schema = @Schema(implementation = OwnerSnapshotDto.class)),
                @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING))
            })
    @APIResponse(
            responseCode = "409",
            description = "`not_synced`: one or more of the owner's accounts never completed a sync; the problem's"
                    + " `accounts` lists them",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public Response snapshot(
            @Parameter(
                            description = "What the snapshot covers; `owner`, one origin owner's linked accounts, is"
                                    + " the only scope",
                            required = true,
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            enumeration = {"owner"}))
                    @QueryParam("scope")
                    String scope,
            @Parameter(description = "The origin owner whose linked accounts are read", required = true)
                    @QueryParam(PeopleResource.OWNER)
                    String originOwnerId,
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
                            description = "The last review's time (RFC 3339): list the users removed after it",
                            schema = @Schema(type = SchemaType.STRING, format = "date-time"))
                    @QueryParam("since")
                    String since) {
        if (scope == null || scope.isBlank()) {
            throw KeylineException.invalid(
                            FailureCode.PARAMETER_REQUIRED, "Say what the snapshot covers with `scope=owner`.")
                    .field("scope");
        }
        Params.oneOf("scope", scope, SCOPES);
        String owner = PeopleResource.requiredOwner(originOwnerId);
        String kind = Objects.requireNonNullElse(Params.oneOf("format", format, FORMATS), "json");
        Instant after = Params.instant("since", since);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        OwnerSnapshotDto snapshot = people.snapshot(tenant.id(), owner, after, now);
        StreamingOutput body = kind.equals("csv")
                ? out -> OwnerSnapshotCsv.write(snapshot, out)
                : out -> mapper.writer()
                        .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                        .writeValue(out, snapshot);
        String filename = "keyline-owner-snapshot-" + FILE_TIME.format(now) + "." + kind;
        return Response.ok(body, kind.equals("csv") ? "text/csv; charset=utf-8" : "application/json")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }
}
