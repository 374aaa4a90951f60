package dev.keyline.platform.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.http.TransportFailures;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.platform.base.ConnectorFailures;
import dev.keyline.platform.support.PluginJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The platform's catalogue is complete in every language, and connectors' catalogues come from their own jars. */
class MessageCatalogTest {
    private static final List<String> TRANSLATED = MessageCatalog.LOCALES.subList(1, MessageCatalog.LOCALES.size());
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

    @TempDir
    Path temp;

    private final MessageCatalog platformOnly = new MessageCatalog(id -> Optional.empty());

    @Test
    void everyLanguageWordsTheSameCodesWithTheSamePlaceholders() {
        Map<String, String> german = platformOnly.platform("de");
        assertThat(german).hasSizeGreaterThan(50);
        for (String lang : TRANSLATED) {
            Map<String, String> catalogue = platformOnly.platform(lang);
            assertThat(catalogue.keySet()).as(lang).isEqualTo(german.keySet());
            catalogue.forEach((code, sentence) -> {
                assertThat(sentence).as(lang + " " + code).isNotBlank();
                assertThat(placeholders(sentence))
                        .as(lang + " " + code + " placeholders")
                        .isEqualTo(placeholders(german.get(code)));
            });
        }
    }

    @Test
    void theSentencesAreReadAsUtf8() {
        assertThat(platformOnly.platform("de").get("transport.refused")).contains("hat die Verbindung abgelehnt");
        assertThat(platformOnly.platform("fr").get("transport.host_not_found")).contains("L'hôte");
        assertThat(platformOnly.platform("ja").get("session_expired")).contains("有効期限");
    }

    /** Every sentence the connector API words for the platform is translated, using only the failure's parameters. */
    @Test
    void everyPlatformWordedConnectorFailureIsTranslated() {
        List<ConnectorException> failures = List.of(
                TransportFailures.hostNotFound("h", null),
                TransportFailures.tlsError("h", null),
                TransportFailures.connectTimeout("h", null),
                TransportFailures.answerTimeout("h", null),
                TransportFailures.refused("h", null),
                TransportFailures.failed("h", null),
                TransportFailures.tooLarge("h", 10),
                ConnectorException.unsupported(Capability.USERS));
        for (String lang : TRANSLATED) {
            Map<String, String> catalogue = platformOnly.platform(lang);
            for (ConnectorException failure : failures) {
                assertThat(catalogue).as(lang).containsKey(failure.messageCode());
                assertThat(failure.params().keySet())
                        .as(lang + " " + failure.messageCode())
                        .containsAll(placeholders(catalogue.get(failure.messageCode())));
            }
            for (ErrorCode code : ErrorCode.values()) {
                // A failure without a message code of its own has its error code as message code.
                assertThat(catalogue).as(lang).containsKey(ConnectorFailures.code(code));
            }
            assertThat(catalogue)
                    .as(lang)
                    .containsKeys(
                            "session_expired",
                            "session_used",
                            "session_invalid",
                            "session_mismatch",
                            "account_exists",
                            "account_mismatch",
                            "unknown_provider",
                            "return_url_not_allowed",
                            "auth.reauthorization_required");
        }
    }

    @Test
    void englishAndUnsupportedLanguagesHaveNoCatalogueAndTagsAreReduced() {
        assertThat(platformOnly.messages("en", List.of())).isEmpty();
        assertThat(platformOnly.messages("en-GB", List.of())).isEmpty();
        assertThat(platformOnly.messages("pt", List.of())).isEmpty();
        assertThat(platformOnly.messages(null, List.of())).isEmpty();
        assertThat(platformOnly.messages("de-CH", List.of())).isEqualTo(platformOnly.platform("de"));
        assertThat(MessageCatalog.supported("ja-JP")).contains("ja");
        assertThat(MessageCatalog.supported("xx")).isEmpty();
    }

    @Test
    void aPluginsCatalogueIsFoundThroughItsOwnClassLoaderAndCannotRewordThePlatform() throws Exception {
        Path plugins = Files.createDirectories(temp.resolve("plugins"));
        plugin("acme", "acme_hr", """
                        acme_hr.token_expired=Das Token für {tenant} ist abgelaufen.
                        auth.reauthorization_required=Von einem Plugin umformuliert.
                        session_expired=Von einem Plugin umformuliert.
                        auth.made_up=Ein Plugin spricht für die Plattform.
                        """).writeTo(plugins.resolve("acme.jar"));
        plugin("other", "other_hr", "other_hr.down=Andere Störung.\n").writeTo(plugins.resolve("other.jar"));
        var loaded = new ConnectorLoader().load(getClass().getClassLoader(), plugins);
        ClassLoader acmeLoader = loaded.get("acme_hr").factory().getClass().getClassLoader();
        assertThat(acmeLoader).isNotSameAs(getClass().getClassLoader());
        MessageCatalog catalog = new MessageCatalog(id -> Optional.ofNullable(loaded.get(id))
                .map(l -> l.factory().getClass().getClassLoader()));

        Map<String, String> messages = catalog.messages("de", List.of("acme_hr", "unknown-one"));

        assertThat(messages).containsEntry("acme_hr.token_expired", "Das Token für {tenant} ist abgelaufen.");
        assertThat(messages.get("auth.reauthorization_required"))
                .isEqualTo(platformOnly.platform("de").get("auth.reauthorization_required"));
        assertThat(messages.get("session_expired"))
                .isEqualTo(platformOnly.platform("de").get("session_expired"));
        assertThat(messages).as("auth.* is the platform's").doesNotContainKey("auth.made_up");
        assertThat(messages).as("another plugin's jar is not read").doesNotContainKey("other_hr.down");
        assertThat(catalog.messages("fr", List.of("acme_hr"))).doesNotContainKey("acme_hr.token_expired");
        assertThat(catalog.messages("de", List.of("acme_hr", "other_hr"))).containsKey("other_hr.down");
    }

    private static PluginJars plugin(String pkg, String id, String germanMessages) {
        return PluginJars.builder()
                .source(pkg + ".Factory", """
                        package %s;
                        import dev.keyline.connector.spi.*;
                        public class Factory implements ConnectorFactory {
                            public ConnectorDescriptor descriptor() {
                                return ConnectorDescriptor.builder("%s").displayName("HR").description("An HR system.")
                                        .fields(CredentialField.builder("token").secret().label("Token")
                                                .help("A token.").build())
                                        .build();
                            }
                            public Connector create(ConnectorConfig config, ConnectorContext context) {
                                return () -> {};
                            }
                        }
                        """.formatted(pkg, id))
                .factory(pkg + ".Factory")
                .resource(MessageCatalog.CONNECTOR_RESOURCE.formatted("de"), germanMessages)
                .manifest("Keyline-Connector-SPI", "3");
    }

    private static Set<String> placeholders(String sentence) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(sentence);
        while (m.find()) {
            names.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        return names;
    }
}
