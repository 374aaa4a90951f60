package dev.keyline.platform.authconfig;

import static dev.keyline.platform.authconfig.AuthConfigApiTest.create;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.credential.CredentialStore.Namespace;
import dev.keyline.platform.oauth.OAuthApp;
import dev.keyline.platform.oauth.OAuthConfig;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.InMemoryCredentialStore;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class DefaultOAuthAppsTest {
    private static final String PROVIDER = AuthCodeConnectorFactory.ID;

    @Inject
    AuthConfigService configs;

    @Inject
    InMemoryCredentialStore store;

    /** The operator's settings, as {@code keyline.oauth.apps.<provider>.*} would give them. */
    private static OAuthConfig operatorApps(Map<String, OAuthConfig.App> apps) {
        return new OAuthConfig() {
            @Override
            public Map<String, App> apps() {
                return apps;
            }

            @Override
            public Duration refreshSkew() {
                return Duration.ofSeconds(60);
            }

            @Override
            public Duration tokenTimeout() {
                return Duration.ofSeconds(15);
            }
        };
    }

    private static OAuthConfig.App app(String clientId, String secret) {
        return new OAuthConfig.App() {
            @Override
            public String clientId() {
                return clientId;
            }

            @Override
            public String clientSecret() {
                return secret;
            }

            @Override
            public Optional<List<String>> scopes() {
                return Optional.of(List.of("operator.scope"));
            }
        };
    }

    private DefaultOAuthApps withOperatorApp() {
        return new DefaultOAuthApps(operatorApps(Map.of(PROVIDER, app("operator-client", "operator-secret"))), configs);
    }

    @Test
    void aPickedConfigComesFirstThenTheTenantsNewestThenTheOperatorsThenNone() {
        CreatedTenant tenant = newTenant();
        DefaultOAuthApps apps = withOperatorApp();

        OAuthApp operator = apps.forConsent(tenant.id(), PROVIDER, null);
        assertThat(operator.ref()).isEqualTo(OAuthApp.OPERATOR);
        assertThat(operator.clientId()).isEqualTo("operator-client");
        assertThat(operator.clientSecret()).isEqualTo("operator-secret");
        assertThat(operator.scopes()).containsExactly("operator.scope");

        String older = create(tenant, "older-client", "older-secret");
        String newer = create(tenant, "newer-client", "newer-secret");

        OAuthApp newest = apps.forConsent(tenant.id(), PROVIDER, null);
        assertThat(newest.ref()).isEqualTo(OAuthApp.tenantRef(newer));
        assertThat(newest.clientId()).isEqualTo("newer-client");
        assertThat(newest.clientSecret()).isEqualTo("newer-secret");

        OAuthApp picked = apps.forConsent(tenant.id(), PROVIDER, older);
        assertThat(picked.ref()).isEqualTo(OAuthApp.tenantRef(older));
        assertThat(picked.clientId()).isEqualTo("older-client");
        assertThat(picked.clientSecret()).isEqualTo("older-secret");

        DefaultOAuthApps noOperatorApp = new DefaultOAuthApps(operatorApps(Map.of()), configs);
        assertThat(noOperatorApp.forConsent(tenant.id(), PROVIDER, null).ref()).isEqualTo(OAuthApp.tenantRef(newer));
        assertThatThrownBy(() -> noOperatorApp.forConsent(newTenant().id(), PROVIDER, null))
                .isInstanceOfSatisfying(KeylineException.class, e -> {
                    assertThat(e.code()).isEqualTo("oauth_app_missing");
                    assertThat(e.kind()).isEqualTo(KeylineException.Kind.UNPROCESSABLE);
                });
    }

    @Test
    void aPickedConfigOfAnotherTenantIsNotFoundAndOneOfAnotherProviderIsAMismatch() {
        CreatedTenant tenant = newTenant();
        String foreign = create(newTenant(), "foreign-client", "foreign-secret");
        String own = create(tenant, "own-client", "own-secret");
        DefaultOAuthApps apps = withOperatorApp();

        assertThatThrownBy(() -> apps.forConsent(tenant.id(), PROVIDER, foreign))
                .isInstanceOfSatisfying(
                        KeylineException.class, e -> assertThat(e.code()).isEqualTo("not_found"));
        assertThatThrownBy(() -> apps.forConsent(tenant.id(), "other-provider", own))
                .isInstanceOfSatisfying(KeylineException.class, e -> {
                    assertThat(e.code()).isEqualTo("provider_mismatch");
                    assertThat(e.fieldName()).isEqualTo("auth_config_id");
                });
    }

    @Test
    void byRefFindsTheAppAnAccountConsentedWithUntilItIsDeleted() {
        CreatedTenant tenant = newTenant();
        String id = create(tenant, "client", "secret-1");
        DefaultOAuthApps apps = withOperatorApp();

        assertThat(apps.byRef(tenant.id(), PROVIDER, OAuthApp.tenantRef(id)))
                .hasValueSatisfying(app -> assertThat(app.clientSecret()).isEqualTo("secret-1"));
        assertThat(apps.byRef(tenant.id(), PROVIDER, OAuthApp.OPERATOR))
                .hasValueSatisfying(app -> assertThat(app.clientId()).isEqualTo("operator-client"));
        assertThat(apps.byRef(newTenant().id(), PROVIDER, OAuthApp.tenantRef(id)))
                .isEmpty();
        assertThat(apps.byRef(tenant.id(), "other-provider", OAuthApp.tenantRef(id)))
                .isEmpty();

        // A secret the store lost leaves no usable app rather than one with a null secret.
        store.delete(Namespace.AUTH_CONFIGS, tenant.id(), id);
        assertThat(apps.byRef(tenant.id(), PROVIDER, OAuthApp.tenantRef(id))).isEmpty();
        assertThatThrownBy(() -> apps.forConsent(tenant.id(), PROVIDER, null))
                .isInstanceOfSatisfying(
                        KeylineException.class, e -> assertThat(e.code()).isEqualTo("oauth_app_missing"));

        configs.delete(tenant.id(), id);
        assertThat(apps.byRef(tenant.id(), PROVIDER, OAuthApp.tenantRef(id))).isEmpty();
    }
}
