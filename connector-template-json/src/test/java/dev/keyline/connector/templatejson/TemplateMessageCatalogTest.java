package dev.keyline.connector.templatejson;

import dev.keyline.connector.tck.MessageCatalogCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The translations of this connector's diagnoses. Declare each code the connector raises here, with its parameters,
 * and give it a sentence in every messages_&lt;lang&gt;.properties.
 */
class TemplateMessageCatalogTest {

    @Test
    void everyCodeIsTranslatedWithItsOwnParameters() {
        MessageCatalogCheck.forModule(Path.of(""))
                .code("template.token_rejected", "host")
                .code("template.token_forbidden", "host")
                .code("template.rate_limited", "host", "seconds")
                .code("template.unavailable", "host", "status")
                .code("template.unexpected_answer", "host", "status")
                .code("template.no_api", "url")
                .code("template.token_malformed")
                .code("template.base_url_invalid", "example")
                .verify();
    }
}
