package dev.keyline.connector.genericscim;

import dev.keyline.connector.tck.MessageCatalogCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The translations of the generic SCIM connector's own diagnoses ({@code genericscim.*}); scim.* are connector-scim's. */
class GenericScimMessageCatalogTest {

    @Test
    void everyGenericScimCodeIsTranslatedWithItsOwnParameters() {
        MessageCatalogCheck.forModule(Path.of(""))
                .sharedSources(Path.of("../connector-scim/src/main/java"))
                .helper("invalid", 0, "genericscim.")
                .code("genericscim.url_missing", "example")
                .code("genericscim.url_malformed", "example")
                .code("genericscim.url_scheme", "example")
                .code("genericscim.url_user_info", "example")
                .code("genericscim.url_no_host", "example")
                .code("genericscim.url_query", "example")
                // BearerTokens.clean, in this connector's namespace.
                .code("genericscim.token_missing", "field")
                .code("genericscim.token_broken", "field")
                .verify();
    }
}
