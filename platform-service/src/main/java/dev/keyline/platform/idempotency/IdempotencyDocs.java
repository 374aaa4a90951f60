package dev.keyline.platform.idempotency;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.Set;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Documents {@code Idempotency-Key} on the operations marked {@link Idempotent}: the header, the
 * {@code Idempotent-Replayed} header of a replay, and the 409 and 422 answers. Kept beside the mechanism, so the
 * resources carry one annotation each; {@code IdempotencyDocsTest} holds {@link #OPERATIONS} equal to the marked
 * methods.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class IdempotencyDocs implements OASFilter {
    static final Set<String> OPERATIONS = Set.of(
            "linkAccount",
            "startSync",
            "createWebhook",
            "createConnectSession",
            "createTenant",
            "issueApiKey",
            "createAuthConfig");

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM_REF = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().values().forEach(item -> {
            if (item.getOperations() != null) {
                item.getOperations().values().stream()
                        .filter(operation ->
                                operation.getOperationId() != null && OPERATIONS.contains(operation.getOperationId()))
                        .forEach(IdempotencyDocs::document);
            }
        });
    }

    private static void document(Operation operation) {
        operation.addParameter(OASFactory.createParameter()
                .name(IdempotencyKeys.HEADER)
                .in(Parameter.In.HEADER)
                .required(false)
                .description("Makes a retry safe: the first complete answer to this caller with this key is replayed"
                        + " for 24 hours, with `Idempotent-Replayed: true`. 1 to 255 printable ASCII characters,"
                        + " a UUID for instance. 5xx answers are not kept.")
                .schema(OASFactory.createSchema()
                        .addType(Schema.SchemaType.STRING)
                        .minLength(1)
                        .maxLength(IdempotencyKeys.MAX_LENGTH)
                        .pattern("^[\\x20-\\x7E]+$")));
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        operation.getResponses().getAPIResponses().values().stream()
                .filter(r -> r.getRef() == null)
                .forEach(IdempotencyDocs::replayHeader);
        addOrJoin(operation, "409", "A request with this Idempotency-Key is still running (`idempotency_key_in_use`)");
        addOrJoin(
                operation, "422", "This Idempotency-Key was sent with a different request (`idempotency_key_reused`)");
    }

    /** Adds the status, or, where the operation documents it for reasons of its own, adds this reason to those. */
    private static void addOrJoin(Operation operation, String status, String reason) {
        APIResponse own = operation.getResponses().getAPIResponse(status);
        if (own == null || own.getRef() != null) {
            operation.getResponses().addAPIResponse(status, problem(reason));
        } else {
            own.setDescription(own.getDescription() == null ? reason : own.getDescription() + "; or: " + reason);
        }
    }

    private static void replayHeader(APIResponse response) {
        if (response.getHeaders() == null || !response.getHeaders().containsKey(IdempotencyFilter.REPLAYED)) {
            response.addHeader(
                    IdempotencyFilter.REPLAYED,
                    OASFactory.createHeader()
                            .description("`true` when this is the kept answer to an earlier request with the same"
                                    + " Idempotency-Key")
                            .schema(OASFactory.createSchema()
                                    .addType(Schema.SchemaType.STRING)
                                    .addEnumeration("true")));
        }
    }

    private static APIResponse problem(String description) {
        APIResponse existing = OASFactory.createAPIResponse().description(description);
        Content content = OASFactory.createContent()
                .addMediaType(
                        PROBLEM_JSON,
                        OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref(PROBLEM_REF)));
        return existing.content(content);
    }
}
