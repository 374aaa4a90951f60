package dev.keyline.platform.observe;

import static dev.keyline.platform.support.TestApi.link;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.FakeScimConnectorFactory;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.ConsoleHandler;
import org.junit.jupiter.api.Test;

/** With JSON logs on, the console writes one parseable object per line, with the MDC's ids and without secrets. */
@QuarkusTest
@TestProfile(JsonLogsTest.JsonLogsOn.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class JsonLogsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static class JsonLogsOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyline.observe.json-logs", "true");
        }
    }

    @Test
    void aRefusedLinkIsLoggedAsJsonWithTheTenantRequestAndConnectorAndNoSecret() throws Exception {
        Formatter console = consoleFormatter();
        assertThat(console).as("the console's formatter").isInstanceOf(JsonLogFormatter.class);

        CreatedTenant tenant = newTenant();
        String secret = "scim-token-" + UUID.randomUUID();
        List<JsonNode> lines = new ArrayList<>();
        try (OperatorLines everything = OperatorLines.install("")) {
            link(tenant, "owner-json", secret).statusCode(422);
            for (ExtLogRecord record : everything.records()) {
                String line = console.format(record);
                assertThat(line).as("one line per record").endsWith(System.lineSeparator());
                assertThat(line.strip()).doesNotContain("\n").doesNotContain(secret);
                lines.add(JSON.readTree(line));
            }
        }
        JsonNode refused = lines.stream()
                .filter(l -> l.path("message").asText().startsWith("link refused"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no 'link refused' line in " + lines));
        assertThat(refused.path("level").asText()).isEqualTo("INFO");
        assertThat(refused.path("logger").asText()).isEqualTo(OperatorLog.class.getName());
        assertThat(refused.path("tenant_id").asText()).isEqualTo(tenant.id());
        assertThat(refused.path("connector").asText()).isEqualTo(FakeScimConnectorFactory.ID);
        assertThat(refused.path("request_id").asText()).isNotBlank();
        assertThat(refused.path("timestamp").asText()).isNotBlank();
        assertThat(refused.has("trace_id")).as("tracing is off").isFalse();
    }

    private static Formatter consoleFormatter() {
        for (Handler handler : LogContext.getLogContext().getLogger("").getHandlers()) {
            Formatter found = consoleFormatter(handler);
            if (found != null) {
                return found;
            }
        }
        throw new AssertionError("no console handler");
    }

    private static Formatter consoleFormatter(Handler handler) {
        if (handler instanceof ConsoleHandler console) {
            return console.getFormatter();
        }
        if (handler instanceof ExtHandler parent) {
            for (Handler child : parent.getHandlers()) {
                Formatter found = consoleFormatter(child);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
