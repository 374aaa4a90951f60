package dev.keyline.sdk;

import static java.util.Objects.requireNonNull;

import dev.keyline.sdk.invoker.ApiClient;
import dev.keyline.sdk.invoker.ApiException;
import java.time.Duration;

/**
 * Entry point of the Java SDK: a configured {@link ApiClient} for the generated API classes
 * ({@code new IamApi(client)}, {@code new SyncsApi(client)}, …), and {@link #call} to get typed problem errors.
 */
public final class Keyline {
    private Keyline() {}

    /**
     * A client for the Keyline at {@code baseUrl} (for example {@code https://keyline.example.com}, without
     * {@code /v1}: the operations' paths carry the version) that sends {@code apiKey} as a bearer token.
     */
    public static ApiClient client(String baseUrl, String apiKey) {
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(apiKey, "apiKey is null");
        if (apiKey.isBlank()) {
            throw new IllegalArgumentException("apiKey is blank");
        }
        ApiClient client = new ApiClient();
        client.updateBaseUri(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        client.setConnectTimeout(Duration.ofSeconds(10));
        client.setReadTimeout(Duration.ofSeconds(60));
        String authorization = "Bearer " + apiKey;
        client.setRequestInterceptor(request -> request.header("Authorization", authorization));
        return client;
    }

    /** A call of a generated API method. */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws ApiException;
    }

    /**
     * Runs a generated call; a refusal comes back as a {@link KeylineProblemException} with the problem's fields
     * instead of an {@link ApiException} with a raw body.
     */
    public static <T> T call(Call<T> call) {
        try {
            return call.call();
        } catch (ApiException e) {
            throw KeylineProblemException.of(e);
        }
    }
}
