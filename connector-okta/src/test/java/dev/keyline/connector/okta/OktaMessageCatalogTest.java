package dev.keyline.connector.okta;

import dev.keyline.connector.tck.MessageCatalogCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The translations of the Okta connector's diagnoses. */
class OktaMessageCatalogTest {

    @Test
    void everyOktaCodeIsTranslatedWithItsOwnParameters() {
        MessageCatalogCheck.forModule(Path.of(""))
                // OAuth scopes named in sentences and facts, not message codes.
                .notCodes("okta.users.read", "okta.groups.read", "okta.roles.read")
                .code("okta.access_token_rejected", "domain")
                .code("okta.api_token_invalid", "domain", "okta_error")
                .code("okta.app_permission_denied", "domain", "okta_error")
                .code("okta.permission_denied", "domain", "okta_error")
                .code("okta.rate_limited", "domain", "seconds")
                .code("okta.unavailable", "domain", "status")
                .code("okta.org_not_found", "domain")
                .code("okta.unexpected_answer", "domain", "status")
                .code("okta.cursor_invalid")
                .code("okta.read_factors_invalid")
                .code("okta.domain_http", "example")
                .code("okta.domain_ip", "example")
                .code("okta.domain_path", "example")
                .code("okta.domain_invalid", "example")
                .code("okta.roles_permission_denied")
                // Token refusals keep the platform's parameters (error, error_description): none to translate.
                .code("okta.private_key_jwt_required")
                .code("okta.client_key_unknown")
                .code("okta.client_unknown")
                .code("okta.scopes_not_granted")
                .code("okta.client_credentials_not_allowed")
                .code("okta.dpop_required")
                // The SPI's code, in Okta's sentence: a watermark Keyline did not hand out.
                .code("changes.watermark_expired")
                .verify();
    }
}
