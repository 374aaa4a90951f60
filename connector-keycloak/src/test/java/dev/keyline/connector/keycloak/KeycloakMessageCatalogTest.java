package dev.keyline.connector.keycloak;

import dev.keyline.connector.tck.MessageCatalogCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The translations of the Keycloak connector's diagnoses ({@code keycloak.*}). */
class KeycloakMessageCatalogTest {

    @Test
    void everyKeycloakCodeIsTranslatedWithItsOwnParameters() {
        MessageCatalogCheck.forModule(Path.of(""))
                .code("keycloak.token_rejected", "realm")
                .code("keycloak.view_users_missing", "realm")
                .code("keycloak.realm_not_found", "realm", "host")
                .code("keycloak.rate_limited", "host", "seconds")
                .code("keycloak.unavailable", "host", "status")
                .code("keycloak.not_keycloak", "url")
                .code("keycloak.unexpected_answer", "host", "status")
                .code("keycloak.cursor_invalid")
                .code("keycloak.realm_required")
                .code("keycloak.oauth_required")
                .code("keycloak.base_url_invalid", "example")
                .verify();
    }
}
