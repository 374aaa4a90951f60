package dev.keyline.connector.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KitRequestTest {

    @Test
    void headersAreFoundWhateverTheCaseOfTheirName() {
        KitRequest request = new KitRequest(
                "GET", "/v1/users", null, Map.of("Authorization", List.of("Bearer a"), "X-Trace", List.of("1")));
        assertThat(request.header("authorization")).containsExactly("Bearer a");
        assertThat(request.header("AUTHORIZATION")).containsExactly("Bearer a");
        assertThat(request.header("Accept")).isEmpty();
        assertThat(request.toString()).isEqualTo("GET /v1/users").doesNotContain("Bearer");
    }

    @Test
    void queryParametersAreDecoded() {
        KitRequest request = new KitRequest("GET", "/v1/users", "page%5Bsize%5D=7&q=a+b&flag", Map.of());
        assertThat(request.queryParameter("page[size]")).hasValue("7");
        assertThat(request.queryParameter("q")).hasValue("a b");
        assertThat(request.queryParameter("flag")).hasValue("");
        assertThat(request.queryParameter("none")).isEmpty();
    }

    @Test
    void onlyReadingMethodsAreNotWrites() {
        assertThat(new KitRequest("GET", "/", null, Map.of()).write()).isFalse();
        assertThat(new KitRequest("HEAD", "/", null, Map.of()).write()).isFalse();
        assertThat(new KitRequest("POST", "/", null, Map.of()).write()).isTrue();
        assertThat(new KitRequest("PATCH", "/", null, Map.of()).write()).isTrue();
    }
}
