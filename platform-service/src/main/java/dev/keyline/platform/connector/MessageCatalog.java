package dev.keyline.platform.connector;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The sentences people see, by message code, in the connect page's languages: the platform's own catalogue and each
 * connector's ({@code META-INF/keyline/messages_<lang>.properties} in its jar). English is the failure's own
 * sentence, so English has no catalogue.
 */
@ApplicationScoped
public class MessageCatalog {
    /** The connect page's languages; the first is the fallback. */
    public static final List<String> LOCALES = List.of("en", "de", "fr", "es", "ja");

    /** The supported language a BCP 47 tag asks for ({@code de-CH} → {@code de}), if any. */
    public static Optional<String> supported(String tag) {
        if (tag == null || tag.isBlank()) {
            return Optional.empty();
        }
        String language = Locale.forLanguageTag(tag.trim()).getLanguage();
        return LOCALES.contains(language) ? Optional.of(language) : Optional.empty();
    }

    /**
     * Message code → sentence (with {@code {param}} placeholders) for {@code locale}, from the platform's catalogue
     * and the given connectors'; empty for English or an unsupported locale.
     */
    public Map<String, String> messages(String locale, Collection<String> connectorIds) {
        return Map.of();
    }
}
