package dev.keyline.platform.api;

import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.platform.base.ConnectorFailures;
import dev.keyline.platform.base.FailureCode;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * The parts of the OpenAPI document every operation shares, so resources declare only what is their own: the
 * security schemes and who needs which, the {@code Problem} schema with every failure code, the error answers and
 * headers common to all operations, and the tags' descriptions. (Title, description and server are configuration:
 * application.properties.)
 *
 * <p>It runs at build time, before Quarkus stores the document ({@code target/openapi}, which the SDKs are generated
 * from), so the stored and the served ({@code /q/openapi}) document are the same. That is also why there is no
 * {@code openIdConnect} scheme: the IdP's discovery URL is run-time configuration, and an OIDC access token travels
 * exactly like an API key ({@code Authorization: Bearer}), so one {@code bearer} scheme describes both.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class OpenApiDocument implements OASFilter {
    public static final String BEARER = "bearer";
    public static final String CONNECT_SESSION = "connectSession";

    /**
     * Operations the connect UI calls with a connect session's token instead of a tenant's credentials (they are
     * {@code @PermitAll} in {@code ConnectSessionResource}, which checks the token itself).
     */
    static final Set<String> SESSION_TOKEN_OPERATIONS =
            Set.of("getConnectSession", "linkWithConnectSession", "startConnectSessionOAuth");

    static final String PROBLEM = "Problem";
    static final String PROBLEM_MEDIA_TYPE = "application/problem+json";
    static final String REQUEST_ID = "X-Request-Id";
    static final String RETRY_AFTER = "Retry-After";
    static final List<String> BUDGET_HEADERS = List.of("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset");

    private static final Map<String, String> TAGS = Map.of(
            "iam",
            "The linked directory's users and groups, normalized, live or from the synced store (`x-account-id`).",
            "accounts",
            "Linked accounts: link, read, rotate credentials, check and unlink.",
            "syncs",
            "Sync runs of a linked account, their schedule, the change feed and snapshots.",
            "webhooks",
            "Webhook subscriptions and their deliveries.",
            "connect",
            "Connect sessions, created by a tenant's backend and used by the connect UI with the session token.",
            "connectors",
            "The providers this Keyline can link, with the credential fields each needs.",
            "tenants",
            "Tenants and their API keys and egress rules (operators), and the calling tenant's own settings.",
            "people",
            "People across an origin owner's linked accounts, correlated by e-mail address, and the owner snapshot"
                    + " an access review asks for.");

    /** The error answers every API operation may give, by status, as component names. */
    private static final Map<String, String> COMMON = commonResponses();

    private static Map<String, String> commonResponses() {
        Map<String, String> common = new LinkedHashMap<>();
        common.put("400", "BadRequest");
        common.put("401", "Unauthorized");
        common.put("403", "Forbidden");
        common.put("404", "NotFound");
        common.put("429", "TooManyRequests");
        common.put("default", "Error");
        return common;
    }

    @Override
    public void filterOpenAPI(OpenAPI document) {
        describeTags(document);
        Components components = document.getComponents();
        if (components == null) {
            components = OASFactory.createComponents();
            document.components(components);
        }
        securitySchemes(components);
        problemCodes(components);
        headers(components);
        responses(components);
        if (document.getPaths() == null) {
            return;
        }
        // The connect UI's page is for browsers (reached through a session's connect_url), not for API clients:
        // documented, it would become an SDK method returning HTML.
        new ArrayList<>(document.getPaths().getPathItems().keySet())
                .stream()
                        .filter(path -> !path.startsWith(ApiVersion.PREFIX + "/"))
                        .forEach(document.getPaths()::removePathItem);
        document.getPaths()
                .getPathItems()
                .forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
                    secure(operation);
                    commonErrors(path, operation);
                    withHeaders(operation.getResponses());
                }));
    }

    /** What each tag groups, unless its resource's {@code @Tag} says so itself. */
    private static void describeTags(OpenAPI document) {
        if (document.getTags() == null) {
            return;
        }
        document.getTags().stream()
                .filter(tag -> tag.getDescription() == null && TAGS.containsKey(tag.getName()))
                .forEach(tag -> tag.description(TAGS.get(tag.getName())));
    }

    /** Failure codes are generated from the code's own enums, so a new code cannot be left undocumented. */
    static List<String> failureCodes() {
        Set<String> codes = new TreeSet<>();
        for (FailureCode code : FailureCode.values()) {
            codes.add(code.wire());
        }
        for (ErrorCode code : ErrorCode.values()) {
            codes.add(ConnectorFailures.code(code));
        }
        return List.copyOf(codes);
    }

    private static void securitySchemes(Components components) {
        // Quarkus' automatic scheme (openIdConnect without a URL) would sit beside ours; auto-add-security is off.
        components.setSecuritySchemes(new LinkedHashMap<>(Map.of(
                BEARER,
                OASFactory.createSecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("`Authorization: Bearer <credential>`: a tenant's or an operator's API key"
                                + " (shown once when issued), or, where the deployment enables OIDC, an access token"
                                + " from its identity provider whose tenant claim names the tenant."),
                CONNECT_SESSION,
                OASFactory.createSecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("`Authorization: Bearer <token>` with a connect session's single-use token"
                                + " (from createConnectSession); used by the connect UI, never sent in a URL."))));
    }

    private static void problemCodes(Components components) {
        Schema problem =
                components.getSchemas() == null ? null : components.getSchemas().get(PROBLEM);
        if (problem == null
                || problem.getProperties() == null
                || !problem.getProperties().containsKey("code")) {
            throw new IllegalStateException("The Problem schema (problem.Problem) is missing from the document");
        }
        problem.getProperties().get("code").enumeration(new ArrayList<>(failureCodes()));
    }

    private static void headers(Components components) {
        components.addHeader(
                REQUEST_ID,
                header(
                        OASFactory.createSchema().addType(Schema.SchemaType.STRING),
                        true,
                        "This request's id: the client's own `X-Request-Id` when it is a plain token (letters, digits,"
                                + " `._:-`, at most 64), else a new one. Problem documents quote it as `request_id`."));
        components.addHeader(
                "RateLimit-Limit", budgetHeader("How many requests the caller may send at once (its bucket's size)."));
        components.addHeader(
                "RateLimit-Remaining", budgetHeader("How many requests the caller may still send at once."));
        components.addHeader("RateLimit-Reset", budgetHeader("Seconds until the caller's budget is full again."));
        components.addHeader(
                RETRY_AFTER,
                header(
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.INTEGER)
                                .minimum(java.math.BigDecimal.ONE),
                        true,
                        "Seconds to wait before retrying."));
    }

    private static Header budgetHeader(String sentence) {
        return header(
                OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).minimum(java.math.BigDecimal.ZERO),
                false,
                sentence + " Absent when the deployment turns rate limits off.");
    }

    private static Header header(Schema schema, boolean required, String description) {
        return OASFactory.createHeader().schema(schema).required(required).description(description);
    }

    private static void responses(Components components) {
        components.addResponse(
                "BadRequest",
                problem("A query parameter, header or body the operation does not"
                        + " accept (`invalid_parameter`, `unknown_parameter`, `invalid_cursor`, `invalid_request`, …);"
                        + " `field` names it."));
        components.addResponse(
                "Unauthorized", problem("No credentials, or credentials that are not valid (`unauthorized`)."));
        components.addResponse(
                "Forbidden", problem("Valid credentials that may not perform this operation (`forbidden`)."));
        components.addResponse(
                "NotFound",
                problem("Nothing by that id for this caller (`not_found`); another tenant's is not"
                        + " found either."));
        APIResponse limited = problem(
                "The caller's rate limit is spent (`rate_limit_exceeded`); retry after" + " `Retry-After` seconds.");
        limited.addHeader(RETRY_AFTER, ref(RETRY_AFTER));
        components.addResponse("TooManyRequests", limited);
        components.addResponse("Error", problem("Any other failure, as a problem document."));
        components.getResponses().values().forEach(r -> withHeaders(r));
    }

    private static APIResponse problem(String description) {
        return OASFactory.createAPIResponse().description(description).content(problemContent());
    }

    private static Content problemContent() {
        return OASFactory.createContent()
                .addMediaType(
                        PROBLEM_MEDIA_TYPE,
                        OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref(PROBLEM)));
    }

    private static void secure(Operation operation) {
        String scheme = SESSION_TOKEN_OPERATIONS.contains(operation.getOperationId()) ? CONNECT_SESSION : BEARER;
        SecurityRequirement requirement = OASFactory.createSecurityRequirement().addScheme(scheme);
        operation.setSecurity(List.of(requirement));
    }

    /**
     * The common error answers, where the operation has not documented that status itself. 400 goes on every
     * operation, not only those with parameters: each refuses a query parameter it does not declare.
     */
    private static void commonErrors(String path, Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        for (Map.Entry<String, String> common : COMMON.entrySet()) {
            if (common.getKey().equals("404") && !path.contains("{")) {
                continue;
            }
            APIResponse own = responses.getAPIResponse(common.getKey());
            if (own == null) {
                responses.addAPIResponse(
                        common.getKey(), OASFactory.createAPIResponse().ref(common.getValue()));
            }
        }
        // An operation's own error statuses answer problem documents too, though its annotation may not say so.
        responses.getAPIResponses().forEach((status, response) -> {
            if (response.getRef() == null && isError(status) && response.getContent() == null) {
                response.content(problemContent());
            }
        });
    }

    private static boolean isError(String status) {
        return status.startsWith("4") || status.startsWith("5");
    }

    /** X-Request-Id and the rate-limit budget on every answer; Retry-After besides on 429s. */
    private static void withHeaders(APIResponses responses) {
        if (responses != null && responses.getAPIResponses() != null) {
            responses.getAPIResponses().forEach((status, response) -> {
                withHeaders(response);
                if (status.equals("429") && response.getRef() == null) {
                    response.addHeader(RETRY_AFTER, ref(RETRY_AFTER));
                }
            });
        }
    }

    private static void withHeaders(APIResponse response) {
        if (response.getRef() != null) {
            return; // the component it points at has them
        }
        if (response.getHeaders() == null || !response.getHeaders().containsKey(REQUEST_ID)) {
            response.addHeader(REQUEST_ID, ref(REQUEST_ID));
        }
        for (String name : BUDGET_HEADERS) {
            if (response.getHeaders().get(name) == null) {
                response.addHeader(name, ref(name));
            }
        }
    }

    private static Header ref(String name) {
        return OASFactory.createHeader().ref(name);
    }
}
