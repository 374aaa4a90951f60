package dev.keyline.connector.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.connector.model.StatusValue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SPI 2's builders make the same values SPI 1's constructors made, and check what they are given. */
class BuildersTest {
    private static final CredentialField URL = CredentialField.builder("scim_url")
            .url()
            .label("SCIM URL")
            .help("Where the SCIM API lives.")
            .example("https://x")
            .build();
    private static final CredentialField TOKEN = CredentialField.builder("bearer_token")
            .secret()
            .label("Bearer token")
            .help("From the admin console.")
            .build();

    @Test
    void fieldBuildersMatchTheFactoriesOfSpiOne() {
        assertThat(URL)
                .isEqualTo(CredentialField.url("scim_url", "SCIM URL", "Where the SCIM API lives.", "https://x", null));
        assertThat(TOKEN)
                .isEqualTo(CredentialField.secret("bearer_token", "Bearer token", "From the admin console.", null));
        CredentialField region = CredentialField.builder("region")
                .label("Region")
                .help("h")
                .routing()
                .build();
        assertThat(region).isEqualTo(CredentialField.routingText("region", "Region", "h", null, null));
        assertThat(CredentialField.builder("label").label("L").help("h").build().routing())
                .isFalse();
    }

    @Test
    void aFieldWithoutLabelOrHelpIsRefused() {
        assertThatThrownBy(() -> CredentialField.builder("x").help("h").build()).hasMessageContaining("label");
        assertThatThrownBy(() -> CredentialField.builder("x").label("X").build())
                .hasMessageContaining("help");
        assertThatThrownBy(() -> CredentialField.builder("x")
                        .secret()
                        .routing()
                        .label("X")
                        .help("h")
                        .build())
                .hasMessageContaining("routing");
    }

    @Test
    void theDescriptorBuilderDeclaresEverythingOnceAndDefaultsTheRest() {
        ConnectorDescriptor built = ConnectorDescriptor.builder("demo")
                .displayName("Demo")
                .description("A demo directory.")
                .setupHelp("First.", "Second.")
                .fields(URL, TOKEN)
                .doc("API", "https://example.com/api")
                .capabilities(Capability.USERS, Capability.CREDENTIAL_VALIDATION)
                .build();
        assertThat(built.category()).isEqualTo("iam");
        assertThat(built.authKinds()).containsExactly(AuthKind.fields());
        assertThat(built.setupHelp()).containsExactly("First.", "Second.");
        assertThat(built.capabilities()).containsExactlyInAnyOrder(Capability.USERS, Capability.CREDENTIAL_VALIDATION);
        ConnectorDescriptor spiOne = new ConnectorDescriptor(
                "demo",
                "Demo",
                "iam",
                "A demo directory.",
                List.of("First.", "Second."),
                List.of(URL, TOKEN),
                built.docs(),
                built.capabilities());
        assertThat(spiOne).isEqualTo(built);
    }

    @Test
    void aLogoIsSetAsMarkupOrReadFromAResourceAndTheOldConstructorsHaveNone() {
        ConnectorDescriptor.Builder builder =
                ConnectorDescriptor.builder("demo").displayName("Demo").description("A demo directory.");
        assertThat(builder.build().logoSvg()).isNull();
        assertThat(builder.logoSvg("<svg/>").build().logoSvg()).isEqualTo("<svg/>");
        String fromResource = builder.logoSvgResource(BuildersTest.class, "demo-logo.svg")
                .build()
                .logoSvg();
        assertThat(fromResource).startsWith("<svg").contains(">Dé</text>");
        assertThat(builder.logoSvgResource(BuildersTest.class, "/dev/keyline/connector/spi/demo-logo.svg")
                        .build()
                        .logoSvg())
                .isEqualTo(fromResource);
        assertThatThrownBy(() -> builder.logoSvgResource(BuildersTest.class, "missing.svg"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.svg");
        ConnectorDescriptor spiTwo = new ConnectorDescriptor(
                "demo", "Demo", "iam", "A demo directory.", List.of(), List.of(), List.of(), Set.of(), List.of());
        assertThat(spiTwo.logoSvg()).isNull();
        assertThat(spiTwo)
                .isEqualTo(ConnectorDescriptor.builder("demo")
                        .displayName("Demo")
                        .description("A demo directory.")
                        .build());
    }

    @Test
    void aDescriptorWithoutNameOrDescriptionIsRefused() {
        assertThatThrownBy(() ->
                        ConnectorDescriptor.builder("demo").description("d").build())
                .hasMessageContaining("display name");
        assertThatThrownBy(() ->
                        ConnectorDescriptor.builder("demo").displayName("D").build())
                .hasMessageContaining("description");
        assertThatThrownBy(() -> ConnectorDescriptor.builder("demo")
                        .displayName("D")
                        .description("d")
                        .authKind(AuthKind.fields())
                        .authKind(AuthKind.fields())
                        .build())
                .hasMessageContaining("auth kinds");
    }

    @Test
    void theFactorysIdIsTheDescriptors() {
        ConnectorFactory factory = new ConnectorFactory() {
            @Override
            public ConnectorDescriptor descriptor() {
                return ConnectorDescriptor.builder("from-descriptor")
                        .displayName("D")
                        .description("d")
                        .build();
            }

            @Override
            public Connector create(ConnectorConfig config, ConnectorContext context) {
                throw new UnsupportedOperationException();
            }
        };
        assertThat(factory.id()).isEqualTo("from-descriptor");
    }

    @Test
    void queryBuildersKeepEveryValue() {
        UserQuery users = UserQuery.builder()
                .pageSize(7)
                .cursor("c")
                .email("a@b.c")
                .username("a")
                .status(StatusValue.ENABLED)
                .includeRaw(true)
                .build();
        assertThat(users).isEqualTo(new UserQuery("c", 7, "a@b.c", "a", users.status(), true));
        assertThat(users.toBuilder().cursor("d").build().cursor()).isEqualTo("d");
        assertThat(UserQuery.all(5, false)).isEqualTo(new UserQuery(null, 5, null, null, null, false));
        assertThat(GroupQuery.all(5)).isEqualTo(new GroupQuery(null, 5, null, true, false));
        assertThat(GroupQuery.builder().name("n").includeMembers(false).build())
                .isEqualTo(new GroupQuery(null, 100, "n", false, false));
        assertThatThrownBy(() -> UserQuery.builder().pageSize(0).build()).hasMessageContaining("pageSize");
    }

    @Test
    void failuresCarryAStableMessageCodeAndItsParameters() {
        ConnectorException e = ConnectorException.builder(ErrorCode.INVALID_CREDENTIALS, "The token was refused.")
                .messageCode("scim.token_rejected")
                .param("host", "example.com")
                .param("status", 401)
                .param("absent", null)
                .field("bearer_token")
                .build();
        assertThat(e.messageCode()).isEqualTo("scim.token_rejected");
        assertThat(e.params()).containsExactly(Map.entry("host", "example.com"), Map.entry("status", "401"));
        assertThat(e.withField("other").field()).hasValue("bearer_token");
        ConnectorException moved = new ConnectorException(ErrorCode.TIMEOUT, "Slow.").withField("scim_url");
        assertThat(moved.messageCode()).isEqualTo("timeout");
        assertThat(e.toBuilder().retryAfter(Duration.ofSeconds(3)).build()).satisfies(copy -> {
            assertThat(copy.messageCode()).isEqualTo("scim.token_rejected");
            assertThat(copy.params()).isEqualTo(e.params());
            assertThat(copy.retryAfter()).hasValue(Duration.ofSeconds(3));
        });
        assertThatThrownBy(() -> ConnectorException.builder(ErrorCode.TIMEOUT, "x")
                        .messageCode("Not A Code")
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ConnectorException.unsupported(Capability.GROUPS).params()).containsEntry("capability", "groups");
    }

    @Test
    void spiVersionsAreARange() {
        assertThat(SpiVersion.supports(SpiVersion.CURRENT)).isTrue();
        assertThat(SpiVersion.supports(SpiVersion.UNDECLARED)).isTrue();
        assertThat(SpiVersion.supports(SpiVersion.CURRENT + 1)).isFalse();
        assertThat(SpiVersion.supports(0)).isFalse();
    }
}
