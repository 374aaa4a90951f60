package dev.keyline.platform.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.keyline.platform.account.AccountDtos.LinkAccountRequest;
import dev.keyline.platform.account.AccountDtos.UpdateAccountRequest;
import dev.keyline.platform.base.KeylineException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnicodeJsonTest {
    private final ObjectMapper mapper = mapper();

    private static ObjectMapper mapper() {
        ObjectMapper mapper = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        new UnicodeJson().customize(mapper);
        return mapper;
    }

    private String fieldOfRefusal(String json, Class<?> type) {
        // As bytes, the way request bodies are read (a String would take another parser).
        Throwable thrown = catchThrowable(() -> mapper.readValue(json.getBytes(StandardCharsets.UTF_8), type));
        assertThat(thrown).as(json).isInstanceOf(JsonProcessingException.class);
        KeylineException problem = UnicodeJson.problemFor((JsonProcessingException) thrown);
        assertThat(problem).as(json).isNotNull();
        assertThat(problem.code()).isEqualTo("invalid_unicode");
        return problem.fieldName();
    }

    @Test
    void aLoneSurrogateIsRefusedWhereverItIsAndNamed() {
        assertThat(fieldOfRefusal(
                        "{\"origin_owner_id\":\"a\\ud800\",\"origin_owner_name\":\"n\",\"provider\":\"p\","
                                + "\"credentials\":{}}",
                        LinkAccountRequest.class))
                .isEqualTo("origin_owner_id");
        assertThat(fieldOfRefusal("{\"credentials\":{\"token\":\"\\udfff\"}}", UpdateAccountRequest.class))
                .isEqualTo("credentials.token");
        assertThat(fieldOfRefusal("{\"credentials\":{\"to\\udc00ken\":\"x\"}}", UpdateAccountRequest.class))
                .startsWith("credentials");
        assertThat(fieldOfRefusal("[\"ok\",\"\\ud800\"]", List.class)).isEqualTo("[1]");
    }

    @Test
    void otherUnreadableBodiesAreNotCalledUnicodeProblems() {
        Throwable thrown = catchThrowable(() -> mapper.readValue("{\"credentials\":[1]}", UpdateAccountRequest.class));
        assertThat(UnicodeJson.problemFor((JsonProcessingException) thrown)).isNull();
    }

    @Test
    void pairedSurrogatesAreText() throws Exception {
        UpdateAccountRequest request =
                mapper.readValue("{\"origin_owner_name\":\"\\ud83d\\udca5\"}", UpdateAccountRequest.class);
        assertThat(request.originOwnerName()).isEqualTo("\uD83D\uDCA5");
    }
}
