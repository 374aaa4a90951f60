package dev.keyline.sdk;

import static java.util.Objects.requireNonNull;

import dev.keyline.sdk.invoker.ApiClient;
import dev.keyline.sdk.invoker.ApiException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * The CSV form of {@code getSnapshot}: the generated method reads the JSON form into a model, and a generated client
 * cannot hand back a {@code text/csv} body as text, so this one request is made here, with the client's base URL,
 * credentials and time-outs.
 */
public final class Snapshots {
    private Snapshots() {}

    /** The account's synced users as CSV (a header line, then one line per user). */
    public static String csv(ApiClient client, String accountId) {
        requireNonNull(client, "client is null");
        requireNonNull(accountId, "accountId is null");
        URI uri = URI.create(client.getBaseUri() + "/v1/accounts/"
                + URLEncoder.encode(accountId, StandardCharsets.UTF_8).replace("+", "%20")
                + "/snapshot?format=csv");
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).header("Accept", "text/csv").GET();
        if (client.getReadTimeout() != null) {
            request.timeout(client.getReadTimeout());
        }
        if (client.getRequestInterceptor() != null) {
            client.getRequestInterceptor().accept(request);
        }
        try {
            HttpResponse<String> response = client.getHttpClient()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() / 100 != 2) {
                throw KeylineProblemException.of(new ApiException(
                        response.statusCode(), "getSnapshot failed", response.headers(), response.body()));
            }
            return response.body();
        } catch (IOException e) {
            throw KeylineProblemException.of(new ApiException(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KeylineProblemException.of(new ApiException(e));
        }
    }
}
