package dev.keyline.connector.onepassword;

import static dev.keyline.connector.onepassword.OnePasswordConnectorFactory.BEARER_TOKEN;
import static dev.keyline.connector.onepassword.OnePasswordConnectorFactory.SCIM_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.connector.onepassword.OnePasswordUrl.Deployment;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.CredentialField;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.Redactor;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OnePasswordConnectorFactoryTest {
    static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.opaque-scim-token";

    final OnePasswordConnectorFactory factory = new OnePasswordConnectorFactory();

    static ConnectorConfig config(String url, String token) {
        Map<String, String> values = new HashMap<>();
        if (url != null) {
            values.put(SCIM_URL, url);
        }
        if (token != null) {
            values.put(BEARER_TOKEN, token);
        }
        return ConnectorConfig.of(new OnePasswordConnectorFactory().descriptor(), values);
    }

    String normalizedUrl(String url) {
        return factory.normalize(config(url, TOKEN)).find(SCIM_URL).orElseThrow();
    }

    ConnectorException normalizeFailure(String url, String token) {
        ConnectorException e =
                catchThrowableOfType(ConnectorException.class, () -> factory.normalize(config(url, token)));
        assertThat(e).as("a ConnectorException").isNotNull();
        // Platforms pass messages through the redactor; a sentence must come out of it whole.
        assertThat(Redactor.of(List.of()).redact(e.getMessage())).isEqualTo(e.getMessage());
        return e;
    }

    @Test
    void isFoundByServiceLoader() {
        assertThat(ServiceLoader.load(ConnectorFactory.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(f -> assertThat(f).isInstanceOf(OnePasswordConnectorFactory.class));
    }

    @Test
    void descriptorDescribesTheFormAndCapabilities() {
        ConnectorDescriptor descriptor = factory.descriptor();

        assertThat(factory.id()).isEqualTo("onepassword").isEqualTo(descriptor.id());
        assertThat(descriptor.category()).isEqualTo("iam");
        assertThat(descriptor.capabilities())
                .containsExactlyInAnyOrder(
                        Capability.CREDENTIAL_VALIDATION, Capability.USERS, Capability.GROUPS, Capability.HEALTH_PROBE);
        assertThat(descriptor.fields()).extracting(CredentialField::key).containsExactly(SCIM_URL, BEARER_TOKEN);
        CredentialField url = descriptor.fields().get(0);
        assertThat(url.type()).isEqualTo(CredentialField.Type.URL);
        // The SCIM URL decides where the bearer token goes: changing it requires the token again.
        assertThat(descriptor.routingKeys()).containsExactly(SCIM_URL);
        assertThat(url.help()).contains("https://provisioning.1password.com/scim/v2", "https://scim.example.com");
        assertThat(url.example()).isEqualTo("https://scim.example.com");
        assertThat("https://scim.example.com").matches(url.pattern());
        assertThat("https://provisioning.1password.com/scim/v2").matches(url.pattern());
        assertThat("scim.example.com").doesNotMatch(url.pattern());
        assertThat(descriptor.fields().get(1).secret()).isTrue();
        assertThat(descriptor.secretKeys()).containsExactly(BEARER_TOKEN);
        assertThat(descriptor.setupHelp())
                .anySatisfy(p -> assertThat(p).contains("Hosted provisioning"))
                .anySatisfy(p -> assertThat(p).contains("SCIM bridge"));
        assertThat(descriptor.docs())
                .extracting(ConnectorDescriptor.DocLink::url)
                .contains(URI.create("https://support.1password.com/scim/"));
        assertThat(descriptor.docs()).hasSizeGreaterThanOrEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({
        "https://provisioning.1password.com, https://provisioning.1password.com/scim/v2",
        "https://provisioning.1password.com/, https://provisioning.1password.com/scim/v2",
        "https://provisioning.1password.com/scim, https://provisioning.1password.com/scim/v2",
        "https://provisioning.1password.com/scim/v2/, https://provisioning.1password.com/scim/v2",
        "'  https://Provisioning.1Password.com/scim/v2  ', https://provisioning.1password.com/scim/v2",
        "http://provisioning.1password.eu/scim/v2/Users, https://provisioning.1password.eu/scim/v2",
        "https://provisioning.1password.ca, https://provisioning.1password.ca/scim/v2",
        "https://scim.example.com/, https://scim.example.com",
        "https://SCIM.Example.com:443//, https://scim.example.com",
        "https://scim.example.com/scim/, https://scim.example.com/scim",
        "https://scim.example.com/Users, https://scim.example.com",
        "https://scim.example.com:8443/scim/Groups/, https://scim.example.com:8443/scim",
        "http://127.0.0.1:4321/scim/v2/, http://127.0.0.1:4321/scim/v2",
    })
    void normalizesWhatPeopleType(String typed, String expected) {
        assertThat(normalizedUrl(typed)).isEqualTo(expected);
    }

    @Test
    void normalizingTwiceChangesNothing() {
        ConnectorConfig once = factory.normalize(config(" https://scim.example.com/scim/ ", " Bearer " + TOKEN));

        assertThat(factory.normalize(once)).isEqualTo(once);
    }

    @ParameterizedTest
    @CsvSource({
        "https://provisioning.1password.com/scim/v2, HOSTED",
        "https://PROVISIONING.1password.eu/scim/v2/Users, HOSTED",
        "https://provisioning.1password.ca, HOSTED",
        "http://127.0.0.1:9/scim/v2, SCIM_SERVER",
        "https://scim.example.com/scim/v2, SCIM_SERVER",
        "https://1password.example.com/scim/v2, SCIM_SERVER",
        "https://scim.example.com, BRIDGE",
        "https://scim.example.com/scim, BRIDGE",
    })
    void theHostAndPathDecideTheDeployment(String url, Deployment deployment) {
        assertThat(OnePasswordUrl.parse(url).deployment()).isEqualTo(deployment);
    }

    @Test
    void bridgeRootDropsTheScimAlias() {
        assertThat(OnePasswordUrl.parse("https://scim.example.com/scim").bridgeRoot())
                .isEqualTo(URI.create("https://scim.example.com"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://example.1password.com",
                "https://my.1password.eu/",
                "https://acme.1password.ca/signin",
                "https://1password.com",
                "https://start.1Password.com/scim/v2"
            })
    void signInAddressIsTheWrongUrl(String url) {
        ConnectorException e = normalizeFailure(url, TOKEN);

        assertThat(e.code()).isEqualTo(ErrorCode.WRONG_URL);
        assertThat(e.field()).contains(SCIM_URL);
        assertThat(e.getMessage()).contains("sign in to 1Password", "SCIM bridge", "https://provisioning.1password.");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://scim.example.com",
                "scim.example.com",
                "https://",
                "https://scim example.com",
                "mailto:ops@example.com",
                "https://scim.example.com/?token=abc"
            })
    void somethingThatIsNotAnHttpUrlIsInvalidConfig(String url) {
        ConnectorException e = normalizeFailure(url, TOKEN);

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(e.field()).contains(SCIM_URL);
    }

    @Test
    void credentialsInTheUrlAreRefusedWithoutRepeatingThem() {
        ConnectorException e = normalizeFailure("https://admin:hunter2secret@scim.example.com", TOKEN);

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(e.getMessage()).doesNotContain("hunter2secret");
    }

    @Test
    void missingUrlIsInvalidConfigOnTheUrlField() {
        ConnectorException e = normalizeFailure("  ", TOKEN);

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(e.field()).contains(SCIM_URL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "Bearer  "})
    void missingTokenIsInvalidConfigOnTheTokenField(String token) {
        ConnectorException e = normalizeFailure("https://scim.example.com", token);

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(e.field()).contains(BEARER_TOKEN);
    }

    @Test
    void absentTokenIsInvalidConfigOnTheTokenField() {
        assertThat(normalizeFailure("https://scim.example.com", null).field()).contains(BEARER_TOKEN);
    }

    @Test
    void pastedBearerPrefixAndBlanksAreRemovedFromTheToken() {
        ConnectorConfig normalized = factory.normalize(config("https://scim.example.com", "  Bearer " + TOKEN + "\n"));

        assertThat(normalized.find(BEARER_TOKEN)).contains(TOKEN);
    }

    @Test
    void tokenBrokenAcrossLinesIsRefusedWithoutRepeatingIt() {
        ConnectorException e = normalizeFailure("https://scim.example.com", "abc123secret\ndef456");

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(e.field()).contains(BEARER_TOKEN);
        assertThat(e.getMessage()).doesNotContain("abc123secret");
    }

    @Test
    void createDoesNoNetworkAndNeverShowsTheToken() {
        FakeTransport transport = new FakeTransport();
        var connector = factory.create(config("https://scim.example.com/", TOKEN), Contexts.of(transport));

        assertThat(transport.requests()).isEmpty();
        assertThat(connector.toString()).doesNotContain(TOKEN).contains("bridge");
        connector.close();
        connector.close();
    }
}
