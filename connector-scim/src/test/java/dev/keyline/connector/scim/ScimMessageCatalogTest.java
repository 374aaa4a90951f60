package dev.keyline.connector.scim;

import dev.keyline.connector.tck.MessageCatalogCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The translations of connector-scim's own diagnoses ({@code scim.*}), which every SCIM-based connector raises
 * through this library: each code the library raises, in every language, with only the parameters it carries.
 */
class ScimMessageCatalogTest {

    @Test
    void everyScimCodeIsTranslatedWithItsOwnParameters() {
        MessageCatalogCheck.forModule(Path.of(""))
                .code("scim.no_endpoint", "resource", "where")
                .code("scim.web_page", "where")
                .code("scim.token_refused", "host", "status")
                // Left out when the server sent no usable Retry-After, so no sentence may count on it.
                .code("scim.rate_limited", "host", "retry_after_seconds?")
                .code("scim.unavailable", "host", "status")
                .code("scim.redirected", "where", "status")
                .code("scim.upstream_error", "host", "status")
                .code("scim.resource_without_id", "host", "resource")
                .code("scim.not_scim_data", "where")
                .code("scim.malformed", "host")
                .code("scim.foreign_cursor", "resource")
                .code("scim.listing_incomplete", "host", "resource")
                .code("scim.token_rejected", "host", "status")
                .code("scim.no_users_endpoint", "url", "example")
                .code("scim.not_scim", "url", "example")
                .code("scim.host_not_found", "host")
                .code("scim.tls_error", "host")
                .code("scim.timeout", "host")
                .code("scim.connection_failed", "host")
                // BearerTokens raises these in the namespace of the connector that calls it.
                .callerCodes(".token_missing", ".token_broken")
                .verify();
    }
}
