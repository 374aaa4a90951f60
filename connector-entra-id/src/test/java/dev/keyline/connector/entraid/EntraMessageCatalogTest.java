package dev.keyline.connector.entraid;

import dev.keyline.connector.tck.MessageCatalogCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The translations of the Microsoft Entra ID connector's diagnoses. */
class EntraMessageCatalogTest {

    @Test
    void everyEntraCodeIsTranslatedWithItsOwnParameters() {
        MessageCatalogCheck.forModule(Path.of(""))
                .helper("Diagnosis", 2, "entra_id.")
                .code("entra_id.watermark_invalid")
                .code("changes.watermark_expired", "graph_code")
                .code("entra_id.roles_permission_missing")
                .code("entra_id.cursor_invalid")
                .code("entra_id.oauth_required")
                .code("entra_id.cloud_invalid")
                .code("entra_id.tenant_alias", "alias")
                // Raised for a typed ID (with example) and for AADSTS900023 (with aadsts): no parameter is sure.
                .code("entra_id.tenant_invalid")
                .code("entra_id.token_rejected", "tenant", "graph_code")
                .code("entra_id.admin_consent_missing", "tenant", "graph_code")
                .code("entra_id.rate_limited", "host", "status", "seconds")
                .code("entra_id.unavailable", "host", "status")
                .code("entra_id.unexpected_answer", "host", "status")
                .code("entra_id.tenant_not_found", "aadsts")
                .code("entra_id.client_secret_invalid", "aadsts")
                .code("entra_id.client_secret_expired", "aadsts")
                .code("entra_id.client_not_found", "aadsts")
                .verify();
    }
}
