package dev.keyline.connector.tck.entra;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Microsoft Entra token endpoint, client credentials grant only. Refusals use Microsoft's token-error JSON:
 * {@code error}, {@code error_description} (starting with the AADSTS number), {@code error_codes}, {@code timestamp},
 * {@code trace_id}, {@code correlation_id}.
 */
final class GraphToken {
    private GraphToken() {}

    static void serve(GraphState state, HttpExchange ex, String path) throws IOException {
        String tenant = path.replaceFirst("^/", "").split("/")[0];
        Map<String, String> form =
                GraphHandler.params(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (!state.knowsTenant(tenant)) {
            refuse(
                    ex,
                    400,
                    "invalid_request",
                    90002,
                    "Tenant '" + tenant + "' not found. Check to make sure you have "
                            + "the correct tenant ID and are signing into the correct cloud.");
            return;
        }
        if (!"client_credentials".equals(form.get("grant_type"))) {
            refuse(ex, 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
            return;
        }
        String expired = state.expiredClients.get(form.get("client_id"));
        if (expired != null) {
            if (expired.equals(form.get("client_secret"))) {
                refuse(
                        ex,
                        401,
                        "invalid_client",
                        7000222,
                        "The provided client secret keys for app '" + form.get("client_id") + "' are expired.");
            } else {
                refuse(ex, 401, "invalid_client", 7000215, "Invalid client secret provided.");
            }
            return;
        }
        if (!state.clientId.equals(form.get("client_id"))) {
            refuse(
                    ex,
                    400,
                    "unauthorized_client",
                    700016,
                    "Application with identifier '" + form.get("client_id") + "' was not found in the directory '"
                            + tenant + "'.");
            return;
        }
        if (!state.clientSecret.equals(form.get("client_secret"))) {
            refuse(
                    ex,
                    401,
                    "invalid_client",
                    7000215,
                    "Invalid client secret provided. Ensure the secret being sent "
                            + "in the request is the client secret value, not the client secret ID.");
            return;
        }
        if (state.secretExpired) {
            refuse(
                    ex,
                    401,
                    "invalid_client",
                    7000222,
                    "The provided client secret keys for app '" + state.clientId + "' are expired.");
            return;
        }
        String scope = form.getOrDefault("scope", "");
        if (!scope.equals(state.graphUrl + "/.default")) {
            refuse(ex, 400, "invalid_scope", 1002012, "The provided value for scope " + scope + " is not valid.");
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "Bearer");
        body.put("expires_in", 3599);
        body.put("ext_expires_in", 3599);
        body.put("access_token", state.issue(state.granted()));
        GraphHandler.send(ex, 200, body);
    }

    private static void refuse(HttpExchange ex, int status, String error, long code, String text) throws IOException {
        String trace = UUID.randomUUID().toString();
        String correlation = UUID.randomUUID().toString();
        String now = Instant.now().toString();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put(
                "error_description",
                "AADSTS" + code + ": " + text + " Trace ID: " + trace + " Correlation ID: " + correlation
                        + " Timestamp: " + now);
        body.put("error_codes", List.of(code));
        body.put("timestamp", now);
        body.put("trace_id", trace);
        body.put("correlation_id", correlation);
        body.put("error_uri", "https://login.microsoftonline.com/error?code=" + code);
        GraphHandler.send(ex, status, body);
    }
}
