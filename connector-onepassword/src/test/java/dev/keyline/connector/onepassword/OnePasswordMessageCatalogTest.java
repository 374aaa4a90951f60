package dev.keyline.connector.onepassword;

import dev.keyline.connector.tck.MessageCatalogCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The translations of the 1Password connector's own diagnoses ({@code onepassword.*}); scim.* are connector-scim's. */
class OnePasswordMessageCatalogTest {

    @Test
    void everyOnePasswordCodeIsTranslatedWithItsOwnParameters() {
        MessageCatalogCheck.forModule(Path.of(""))
                .sharedSources(Path.of("../connector-scim/src/main/java"))
                .helper("invalid", 0, "onepassword.")
                .code("onepassword.not_scim", "url")
                .code("onepassword.sign_in_page", "host")
                .code("onepassword.token_rejected_hosted", "status")
                .code("onepassword.token_rejected_bridge", "status")
                .code("onepassword.token_rejected_scim_server", "status")
                .code("onepassword.api_disabled", "host")
                .code("onepassword.sign_in_address", "host", "hosted_url")
                .code("onepassword.url_missing")
                .code("onepassword.url_malformed")
                .code("onepassword.url_scheme")
                .code("onepassword.url_user_info")
                .code("onepassword.url_no_host")
                .code("onepassword.url_query")
                // ScimValidation.rephrased and BearerTokens.clean, in this connector's namespace.
                .code("onepassword.host_not_found", "host")
                .code("onepassword.tls_error", "host")
                .code("onepassword.timeout", "host")
                .code("onepassword.connection_failed", "host")
                .code("onepassword.token_missing", "field")
                .code("onepassword.token_broken", "field")
                .verify();
    }
}
