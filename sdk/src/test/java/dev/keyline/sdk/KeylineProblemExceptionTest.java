package dev.keyline.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.sdk.invoker.ApiException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeylineProblemExceptionTest {
    private static HttpHeaders headers(Map<String, List<String>> values) {
        return HttpHeaders.of(values, (name, value) -> true);
    }

    @Test
    void readsTheProblemsFieldsRequestIdAndRetryAfter() {
        ApiException refused = new ApiException(
                429,
                "listUsers call failed",
                headers(Map.of("Content-Type", List.of("application/problem+json"), "Retry-After", List.of("7"))),
                "{\"type\":\"https://keyline.dev/problems/rate-limited\",\"title\":\"Too many requests\","
                        + "\"status\":429,\"detail\":\"Slow down\",\"code\":\"rate_limited\",\"request_id\":\"req-1\"}");

        KeylineProblemException problem = KeylineProblemException.of(refused);

        assertThat(problem.status()).isEqualTo(429);
        assertThat(problem.code()).contains("rate_limited");
        assertThat(problem.title()).contains("Too many requests");
        assertThat(problem.detail()).contains("Slow down");
        assertThat(problem.type()).contains("https://keyline.dev/problems/rate-limited");
        assertThat(problem.requestId()).contains("req-1");
        assertThat(problem.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(problem.field()).isEmpty();
        assertThat(problem).hasMessageContaining("rate_limited").hasCause(refused);
    }

    @Test
    void readsTheFieldAndPerFieldErrorsOfAnInvalidRequest() {
        KeylineProblemException problem = KeylineProblemException.of(new ApiException(
                400,
                "createWebhook call failed",
                headers(Map.of("Content-Type", List.of("application/problem+json; charset=utf-8"))),
                "{\"code\":\"invalid_request\",\"field\":\"url\","
                        + "\"errors\":[{\"field\":\"url\",\"message\":\"must not be blank\"}]}"));

        assertThat(problem.field()).contains("url");
        assertThat(problem.errors()).containsExactly(Map.of("field", "url", "message", "must not be blank"));
    }

    @Test
    void anAnswerThatIsNotAProblemKeepsItsStatusAndHeaderRequestId() {
        KeylineProblemException problem = KeylineProblemException.of(new ApiException(
                502,
                "getUser call failed",
                headers(Map.of("Content-Type", List.of("text/html"), "X-Request-Id", List.of("req-2"))),
                "{\"code\":\"looks_like_a_problem_but_is_html\"}"));

        assertThat(problem.status()).isEqualTo(502);
        assertThat(problem.code()).isEmpty();
        assertThat(problem.requestId()).contains("req-2");
        assertThat(problem.retryAfter()).isEmpty();
    }
}
