package dev.keyline.connector.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthKindTest {
    private static final CredentialField DOMAIN = CredentialField.builder("okta_domain")
            .routing()
            .label("Okta domain")
            .help("Your org's domain.")
            .example("acme.okta.com")
            .build();
    private static final CredentialField TOKEN = CredentialField.builder("api_token")
            .secret()
            .label("API token")
            .help("A token.")
            .example("00abc")
            .build();

    private static ConnectorDescriptor.Builder descriptor() {
        return ConnectorDescriptor.builder("acme")
                .displayName("Acme")
                .description("Reads Acme.")
                .fields(DOMAIN, TOKEN)
                .capabilities(Capability.USERS);
    }

    @Test
    void expandFillsEachPlaceholderWithTheStrippedValue() {
        assertThat(AuthKind.expand(
                        "https://{okta_domain}/oauth2/{server}/v1/token",
                        Map.of("okta_domain", " acme.okta.com ", "server", "default")))
                .isEqualTo("https://acme.okta.com/oauth2/default/v1/token");
        assertThat(AuthKind.expand("https://fixed.example.com/token", Map.of()))
                .isEqualTo("https://fixed.example.com/token");
        assertThat(AuthKind.expand(null, Map.of())).isNull();
    }

    @Test
    void expandEncodesValuesSoTheyCannotChangeThePathOrQuery() {
        assertThat(AuthKind.expand(
                        "https://login.example.com/{tenant_id}/token", Map.of("tenant_id", "a/../b?x=1#f é")))
                .isEqualTo("https://login.example.com/a%2F..%2Fb%3Fx%3D1%23f%20%C3%A9/token");
        // ':' stays so host:port values remain an authority.
        assertThat(AuthKind.expand("https://{host}/token", Map.of("host", "idp.example.com:8443")))
                .isEqualTo("https://idp.example.com:8443/token");
        // '$' and '\' are literal, not regex group references.
        assertThat(AuthKind.expand("https://x.example.com/{t}", Map.of("t", "$1\\")))
                .isEqualTo("https://x.example.com/%241%5C");
    }

    @Test
    void anAbsentOrBlankValueIsInvalidConfigOnItsField() {
        for (Map<String, String> values : List.of(Map.<String, String>of(), Map.of("okta_domain", "  "))) {
            assertThatThrownBy(() -> AuthKind.expand("https://{okta_domain}/token", values))
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
                        assertThat(e.field()).contains("okta_domain");
                    });
        }
    }

    @Test
    void aPlaceholderNotAmongTheKindsFieldsIsRefused() {
        assertThatThrownBy(() -> AuthKind.oauth2ClientCredentials("https://{okta_domain}/token")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{okta_domain}");
        assertThatThrownBy(() -> AuthKind.oauth2AuthorizationCode(
                                "https://{okta_domain}/authorize", "https://idp.example.com/token")
                        .fields("other")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{okta_domain}");
        assertThatThrownBy(() -> AuthKind.jwtBearer("https://idp.example.com/token")
                        .tokenParam("audience", "https://{okta_domain}/")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{okta_domain}");
        assertThat(AuthKind.oauth2ClientCredentials("https://{okta_domain}/token")
                        .fields("okta_domain")
                        .build()
                        .placeholders())
                .containsExactly("okta_domain");
    }

    @Test
    void platformFieldNamesAreRefusedAsConnectorFields() {
        for (String name : AuthKind.PLATFORM_FIELDS) {
            assertThatThrownBy(() -> AuthKind.oauth2ClientCredentials("https://idp.example.com/token")
                            .fields(name)
                            .build())
                    .as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(name);
        }
    }

    @Test
    void aTokenUrlMustBeHttpOrStartWithAField() {
        assertThatThrownBy(() -> AuthKind.oauth2ClientCredentials("ftp://idp.example.com/token"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuthKind.jwtBearer("idp.example.com/token"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(AuthKind.oauth2ClientCredentials("{base_url}/token")
                        .fields("base_url")
                        .build()
                        .tokenUrl())
                .contains("{base_url}/token");
    }

    @Test
    void settingsThatDoNotBelongToTheKindAreRefused() {
        assertThatThrownBy(() -> AuthKind.oauth2ClientCredentials("https://idp.example.com/token")
                        .authorizeParam("prompt", "consent"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> AuthKind.jwtBearer("https://idp.example.com/token")
                        .clientAuthentication(AuthKind.ClientAuthentication.CLIENT_SECRET_POST))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> AuthKind.oauth2ClientCredentials("https://idp.example.com/token")
                        .subject(AuthKind.SubjectRule.REQUIRED))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> AuthKind.oauth2ClientCredentials("https://idp.example.com/token")
                        .scopes("two words"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDescriptorRefusesAKindAskingForASecretOrUnknownField() {
        assertThatThrownBy(() -> descriptor()
                        .authKind(AuthKind.oauth2ClientCredentials("https://idp.example.com/token")
                                .fields("api_token")
                                .build())
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("secret field `api_token`");
        assertThatThrownBy(() -> descriptor()
                        .authKind(AuthKind.oauth2ClientCredentials("https://idp.example.com/token")
                                .fields("region")
                                .build())
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("`region`, which is not a field");
        ConnectorDescriptor ok = descriptor()
                .authKind(AuthKind.oauth2ClientCredentials("https://{okta_domain}/token")
                        .fields("okta_domain")
                        .build())
                .build();
        assertThat(ok.authKind(AuthKind.Type.OAUTH2_CLIENT_CREDENTIALS)).isPresent();
        assertThat(ok.authKind(AuthKind.Type.FIELDS)).isEmpty();
    }

    @Test
    void aDescriptorRefusesTheSameKindTwiceAndDefaultsToFields() {
        assertThatThrownBy(() -> descriptor()
                        .authKind(AuthKind.oauth2ClientCredentials("https://a.example.com/token")
                                .build())
                        .authKind(AuthKind.oauth2ClientCredentials("https://b.example.com/token")
                                .build())
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate auth kinds");
        assertThat(descriptor().build().authKinds()).containsExactly(AuthKind.fields());
    }

    @Test
    void wireNamesRoundTrip() {
        for (AuthKind.Type type : AuthKind.Type.values()) {
            assertThat(AuthKind.Type.fromWire(type.wireName())).contains(type);
        }
        assertThat(AuthKind.Type.OAUTH2_CLIENT_CREDENTIALS.wireName()).isEqualTo("oauth2_client_credentials");
        assertThat(AuthKind.Type.fromWire("OAUTH2_CLIENT_CREDENTIALS")).isEmpty();
        assertThat(AuthKind.Type.fromWire("password")).isEmpty();
        assertThat(AuthKind.Type.fromWire(null)).isEmpty();
    }

    @Test
    void kindsAreEqualWhenAllTheirSettingsAre() {
        AuthKind a = AuthKind.oauth2AuthorizationCode("https://idp.example.com/auth", "https://idp.example.com/token")
                .scopes("openid", "profile")
                .authorizeParam("prompt", "consent")
                .build();
        AuthKind same = AuthKind.oauth2AuthorizationCode(
                        "https://idp.example.com/auth", "https://idp.example.com/token")
                .scopes("openid", "profile")
                .authorizeParam("prompt", "consent")
                .build();
        assertThat(a).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(a)
                .isNotEqualTo(AuthKind.oauth2AuthorizationCode(
                                "https://idp.example.com/auth", "https://idp.example.com/token")
                        .scopes("openid")
                        .authorizeParam("prompt", "consent")
                        .build())
                .isNotEqualTo(AuthKind.oauth2AuthorizationCode(
                                "https://idp.example.com/auth", "https://idp.example.com/token")
                        .scopes("openid", "profile")
                        .build())
                .isNotEqualTo(AuthKind.oauth2AuthorizationCode(
                                "https://idp.example.com/auth", "https://idp.example.com/token")
                        .scopes("openid", "profile")
                        .authorizeParam("prompt", "consent")
                        .clientAuthentication(AuthKind.ClientAuthentication.CLIENT_SECRET_POST)
                        .build());
        assertThat(AuthKind.fields()).isEqualTo(AuthKind.fields()).isNotEqualTo(a);
        assertThat(a.toString()).isEqualTo("oauth2_authorization_code");
    }
}
