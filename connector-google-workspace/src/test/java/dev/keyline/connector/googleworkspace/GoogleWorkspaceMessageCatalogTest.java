package dev.keyline.connector.googleworkspace;

import dev.keyline.connector.tck.MessageCatalogCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The translations of the Google Workspace connector's diagnoses. */
class GoogleWorkspaceMessageCatalogTest {

    @Test
    void everyGoogleWorkspaceCodeIsTranslatedWithItsOwnParameters() {
        MessageCatalogCheck.forModule(Path.of(""))
                .helper("diagnosis", 1, "google_workspace.")
                .code("google_workspace.rate_limited", "seconds")
                .code("google_workspace.token_rejected")
                .code("google_workspace.customer_not_found", "customer")
                .code("google_workspace.unavailable", "status")
                .code("google_workspace.api_disabled")
                .code("google_workspace.scope_missing")
                .code("google_workspace.subject_not_admin")
                .code("google_workspace.unexpected_answer", "status")
                .code("google_workspace.paging_loop")
                .code("google_workspace.customer_id_invalid")
                .code("google_workspace.oauth_required")
                // Token refusals keep the platform's parameters (error, error_description): none to translate.
                .code("google_workspace.app_blocked")
                .code("google_workspace.delegation_missing")
                .code("google_workspace.subject_unknown")
                .code("google_workspace.key_invalid")
                .code("google_workspace.clock_skew")
                .code("google_workspace.service_account_gone")
                .code("google_workspace.service_account_disabled")
                .verify();
    }
}
