package dev.keyline.connector.template;

import dev.keyline.connector.tck.MessageCatalogCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The translations of this connector's own diagnoses; scim.* are connector-scim's. Declare each code the connector
 * raises here, with its parameters, and give it a sentence in every messages_&lt;lang&gt;.properties.
 */
class TemplateMessageCatalogTest {

    @Test
    void everyTemplateCodeIsTranslatedWithItsOwnParameters() {
        MessageCatalogCheck.forModule(Path.of(""))
                .helper("invalidUrl", 0, "template.")
                .code("template.url_missing", "example")
                .code("template.url_invalid", "example")
                // connector-scim's BearerTokens.clean, in this connector's namespace; a generated project has no
                // connector-scim sources to search.
                .libraryCode("template.token_missing", "field")
                .libraryCode("template.token_broken", "field")
                .verify();
    }
}
