package dev.keyline.deploy.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every configuration key Keyline reads, taken from the code rather than from a list kept by hand: the
 * {@code @ConfigMapping} interfaces of {@code platform-service} ({@code keyline.*}) and the configuration models
 * that Quarkus extensions ship in {@code META-INF/quarkus-config-doc/quarkus-config-model.json} ({@code quarkus.*},
 * with each key's environment-variable name and whether it can still change at run time).
 */
final class ConfigKeys {
    /** How a key may be set: a deployment can only change {@link Phase#RUN_TIME} keys. */
    enum Phase {
        RUN_TIME,
        BUILD_AND_RUN_TIME_FIXED,
        BUILD_TIME
    }

    /** A key (or a family of keys, when it has a map segment) and its environment-variable spelling. */
    record Key(String property, Pattern envPattern, Phase phase) {}

    /**
     * Variables a deployment may set that are not configuration keys, each for a stated reason. Anything else
     * must be a real key, so a typo such as {@code KEYLINE_SYNC_MONGO_URL} fails the build instead of being ignored.
     */
    static final Map<String, String> NON_CONFIG_VARIABLES = Map.of(
            "JAVA_OPTS", "JVM options, read by the image's entrypoint (deploy/docker/Dockerfile)",
            "KEYLINE_MASTER_KEY", "the local store's master key, named by keyline.credentials.local.master-key-env");

    private static final String KEYLINE_PACKAGE = "dev/keyline/platform/";
    private static final String QUARKUS_MODEL = "META-INF/quarkus-config-doc/quarkus-config-model.json";
    private static final Pattern MAP_SEGMENT = Pattern.compile("\"[^\"]*\"|\\*");

    private final List<Key> keys;

    private ConfigKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    private static ConfigKeys loaded;

    /** The keys, read once per test run (the class path does not change). */
    static synchronized ConfigKeys load() {
        if (loaded == null) {
            loaded = read();
        }
        return loaded;
    }

    private static ConfigKeys read() {
        List<Key> keys = new ArrayList<>();
        keyline(keys);
        quarkus(keys);
        return new ConfigKeys(keys);
    }

    List<Key> all() {
        return keys;
    }

    /** The key an environment variable sets, if any. */
    Optional<Key> forEnv(String variable) {
        return keys.stream()
                .filter(k -> k.envPattern().matcher(variable).matches())
                .findFirst();
    }

    /** The key a property name sets, if any ({@code quarkus.vault.url}, as in a properties file). */
    Optional<Key> forProperty(String property) {
        return forEnv(env(property));
    }

    /**
     * Why an environment variable cannot be used in a deployment, or empty when it can: it must name a run-time
     * key, or be one of {@link #NON_CONFIG_VARIABLES}.
     */
    Optional<String> problemWithEnv(String variable) {
        if (NON_CONFIG_VARIABLES.containsKey(variable)) {
            return Optional.empty();
        }
        Optional<Key> key = forEnv(variable);
        if (key.isEmpty()) {
            return Optional.of(variable + " is not a configuration key of Keyline or its Quarkus extensions");
        }
        if (key.get().phase() != Phase.RUN_TIME) {
            return Optional.of(variable + " sets " + key.get().property() + ", which is fixed when the image is built");
        }
        return Optional.empty();
    }

    /** Quarkus' environment spelling: every character but letters and digits becomes '_', upper case. */
    static String env(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    // --- keyline.*: walk the @ConfigMapping interfaces the way SmallRye Config names their members ---------

    private static void keyline(List<Key> keys) {
        Set<String> classNames = new TreeSet<>();
        try {
            Path location = Path.of(ConfigKeys.class
                    .getClassLoader()
                    .loadClass("dev.keyline.platform.auth.AuthConfig")
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.walk(location.resolve(KEYLINE_PACKAGE))) {
                    files.map(f -> location.relativize(f).toString().replace('\\', '/'))
                            .filter(n -> n.endsWith(".class"))
                            .forEach(classNames::add);
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    jar.stream()
                            .map(e -> e.getName())
                            .filter(n -> n.startsWith(KEYLINE_PACKAGE) && n.endsWith(".class"))
                            .forEach(classNames::add);
                }
            }
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException("platform-service is not on the test class path", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int mappings = 0;
        for (String file : classNames) {
            String name = file.substring(0, file.length() - ".class".length()).replace('/', '.');
            Class<?> type;
            try {
                type = Class.forName(name, false, ConfigKeys.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                continue; // only interfaces matter, and they load
            }
            ConfigMapping mapping = type.getAnnotation(ConfigMapping.class);
            if (type.isInterface() && mapping != null) {
                walk(type, mapping.prefix(), keys);
                mappings++;
            }
        }
        if (mappings == 0) {
            throw new IllegalStateException("no @ConfigMapping found in platform-service");
        }
    }

    private static void walk(Class<?> type, String prefix, List<Key> keys) {
        for (Method method : type.getMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            String name = method.isAnnotationPresent(WithParentName.class) ? prefix : prefix + "." + memberName(method);
            Type valueType = method.getGenericReturnType();
            if (valueType instanceof ParameterizedType p && p.getRawType() == Optional.class) {
                valueType = p.getActualTypeArguments()[0];
            }
            if (valueType instanceof ParameterizedType p && p.getRawType() == Map.class) {
                Type element = p.getActualTypeArguments()[1];
                if (isGroup(element)) {
                    walk((Class<?>) element, name + ".*", keys);
                } else {
                    keys.add(key(name + ".*", Phase.RUN_TIME));
                }
            } else if (isGroup(valueType)) {
                walk((Class<?>) valueType, name, keys);
            } else {
                keys.add(key(name, Phase.RUN_TIME));
            }
        }
    }

    /** A nested configuration group: one of Keyline's own interfaces, not a value type. */
    private static boolean isGroup(Type type) {
        return type instanceof Class<?> c && c.isInterface() && c.getName().startsWith("dev.keyline.");
    }

    private static String memberName(Method method) {
        WithName withName = method.getAnnotation(WithName.class);
        if (withName != null) {
            return withName.value();
        }
        // SmallRye Config's default naming: camelCase becomes kebab-case.
        StringBuilder kebab = new StringBuilder();
        for (char c : method.getName().toCharArray()) {
            if (Character.isUpperCase(c)) {
                kebab.append('-').append(Character.toLowerCase(c));
            } else {
                kebab.append(c);
            }
        }
        return kebab.toString();
    }

    // --- quarkus.*: the extensions' own configuration models ----------------------------------------------

    private static void quarkus(List<Key> keys) {
        ObjectMapper json = new ObjectMapper();
        int models = 0;
        try {
            Enumeration<URL> resources = ConfigKeys.class.getClassLoader().getResources(QUARKUS_MODEL);
            for (URL url : Collections.list(resources)) {
                try (InputStream in = url.openStream()) {
                    for (JsonNode root : json.readTree(in).path("configRoots")) {
                        collect(root.path("items"), keys);
                    }
                }
                models++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (models == 0) {
            throw new IllegalStateException("no Quarkus configuration model on the class path");
        }
    }

    private static void collect(JsonNode items, List<Key> keys) {
        for (JsonNode item : items) {
            collect(item.path("items"), keys);
            if (item.has("path")) {
                Phase phase = Phase.valueOf(item.path("phase").asText("RUN_TIME"));
                keys.add(key(item.path("path").path("property").asText(), phase));
                for (JsonNode more : item.path("additionalPaths")) {
                    keys.add(key(more.path("property").asText(), phase));
                }
            }
        }
    }

    /**
     * A key whose map segments ({@code "datasource-name"} in Quarkus' models, {@code *} in ours) match any name:
     * unquoted as one upper-case word, or quoted, which Quarkus spells with a double underscore on each side.
     */
    private static Key key(String property, Phase phase) {
        StringBuilder regex = new StringBuilder();
        var matcher = MAP_SEGMENT.matcher(property);
        int last = 0;
        while (matcher.find()) {
            regex.append(Pattern.quote(env(property.substring(last, matcher.start()))));
            regex.append("(?:[A-Z0-9]+|_[A-Z0-9_]+_)");
            last = matcher.end();
        }
        regex.append(Pattern.quote(env(property.substring(last))));
        return new Key(property, Pattern.compile(regex.toString()), phase);
    }
}
