package dev.keyline.platform.connector;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The sentences people see, by message code, in the connect page's languages: the platform's own catalogue and each
 * connector's ({@code META-INF/keyline/messages_<lang>.properties} in its jar). English is the failure's own
 * sentence, so English has no catalogue.
 *
 * <p>Connectors add sentences for their own codes; they cannot reword the platform's (any code the platform's
 * catalogue has, and every {@code auth.*}, {@code transport.*} and {@code connector.*} code), so one connector's
 * file cannot change what another connector's failures, or Keyline's, say. A connector's file is read through its
 * own class loader: a plugin's from its jar alone, a built-in's from the class path (which also holds the shared
 * libraries built-ins use, such as the SCIM client's {@code scim.*} codes).
 */
@ApplicationScoped
public class MessageCatalog {
    private static final Logger LOG = Logger.getLogger(MessageCatalog.class);

    /** The connect page's languages; the first is the fallback. */
    public static final List<String> LOCALES = List.of("en", "de", "fr", "es", "ja");

    /** Where the platform's catalogue lives, for {@code <lang>}. */
    static final String PLATFORM_RESOURCE = "keyline-messages/messages_%s.properties";

    /** Where a connector's catalogue lives in its jar, for {@code <lang>}. */
    public static final String CONNECTOR_RESOURCE = "META-INF/keyline/messages_%s.properties";

    /** Codes only the platform words, whatever a connector's file says. */
    static final List<String> RESERVED_PREFIXES = List.of("auth.", "transport.", "connector.");

    @Inject
    ConnectorRegistry registry;

    /** A connector's class loader by id; null: the registry's loaded connectors. */
    private final Function<String, Optional<ClassLoader>> loaders;

    private final Map<String, Map<String, String>> platform = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> connectors = new ConcurrentHashMap<>();

    public MessageCatalog() {
        this(null);
    }

    /** A catalogue that finds connectors' class loaders with {@code loaders} rather than the registry. */
    MessageCatalog(Function<String, Optional<ClassLoader>> loaders) {
        this.loaders = loaders;
    }

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
     * and the given connectors'; empty for English or an unsupported locale. Unknown connector ids are skipped.
     */
    public Map<String, String> messages(String locale, Collection<String> connectorIds) {
        String lang = supported(locale).orElse(LOCALES.get(0));
        if (lang.equals(LOCALES.get(0))) {
            return Map.of();
        }
        Map<String, String> platformMessages = platform(lang);
        Map<String, String> result = new TreeMap<>(platformMessages);
        for (String id : connectorIds == null ? List.<String>of() : connectorIds) {
            Optional<ClassLoader> loader = loaderOf(id);
            if (loader.isEmpty()) {
                continue;
            }
            // The platform's entries are in first: a connector adds codes, it never rewords one.
            connectorMessages(id, lang, loader.get()).forEach(result::putIfAbsent);
        }
        return Collections.unmodifiableMap(result);
    }

    /** The platform's own catalogue for {@code lang} (a supported language other than English). */
    public Map<String, String> platform(String lang) {
        return platform.computeIfAbsent(lang, l -> {
            ClassLoader own = MessageCatalog.class.getClassLoader();
            URL url = own.getResource(PLATFORM_RESOURCE.formatted(l));
            return url == null ? Map.of() : Map.copyOf(read(url));
        });
    }

    private Map<String, String> connectorMessages(String id, String lang, ClassLoader loader) {
        return connectors.computeIfAbsent(lang + "/" + id, key -> connectorCatalogue(id, lang, loader));
    }

    private Optional<ClassLoader> loaderOf(String id) {
        if (loaders != null) {
            return loaders.apply(id);
        }
        if (registry == null) {
            return Optional.empty();
        }
        return registry.loaded().stream()
                .filter(l -> l.id().equals(id))
                .findFirst()
                .map(l -> l.factory().getClass().getClassLoader());
    }

    /**
     * Every {@code META-INF/keyline/messages_<lang>.properties} {@code loader} sees, merged (the first file to word
     * a code wins), without the codes reserved to the platform. A file that cannot be read is logged and skipped: a
     * missing translation falls back to English, which is no reason to fail a page.
     */
    static Map<String, String> connectorCatalogue(String id, String lang, ClassLoader loader) {
        Map<String, String> merged = new LinkedHashMap<>();
        Enumeration<URL> files;
        try {
            files = loader.getResources(CONNECTOR_RESOURCE.formatted(lang));
        } catch (IOException e) {
            LOG.warnf("Connector '%s': its %s messages cannot be listed: %s", id, lang, e.getMessage());
            return Map.of();
        }
        for (URL file : Collections.list(files)) {
            try {
                read(file).forEach((code, sentence) -> {
                    if (!reserved(code)) {
                        merged.putIfAbsent(code, sentence);
                    }
                });
            } catch (UncheckedIOException e) {
                LOG.warnf("Connector '%s': a %s message file cannot be read: %s", id, lang, e.getMessage());
            }
        }
        return Map.copyOf(merged);
    }

    static boolean reserved(String code) {
        return RESERVED_PREFIXES.stream().anyMatch(code::startsWith);
    }

    /** A properties file read as UTF-8 (not ISO 8859-1, the {@link Properties#load(InputStream)} default). */
    static Map<String, String> read(URL url) {
        Properties properties = new Properties();
        try (InputStream in = url.openStream();
                Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url, e);
        }
        Map<String, String> entries = new TreeMap<>();
        properties.forEach((key, value) -> entries.put(key.toString(), value.toString()));
        return entries;
    }
}
