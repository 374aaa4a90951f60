package dev.keyline.deploy.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a compose file offline, as far as {@code docker compose config} would and then Keyline's own rules: known
 * top-level and service keys, dependencies that exist and are waited for properly, declared volumes, bind mounts
 * and build files that exist, pinned images, Keyline's environment limited to real run-time configuration keys,
 * and no secret written into the file (every secret is a required variable that {@code init-env.sh} generates).
 */
final class ComposeRules {
    static final Set<String> TOP_LEVEL =
            Set.of("name", "services", "volumes", "networks", "configs", "secrets", "include");

    /** The service attributes of the Compose Specification this project may use. */
    static final Set<String> SERVICE_KEYS = Set.of(
            "image",
            "build",
            "command",
            "entrypoint",
            "environment",
            "env_file",
            "volumes",
            "tmpfs",
            "ports",
            "expose",
            "depends_on",
            "healthcheck",
            "restart",
            "user",
            "working_dir",
            "read_only",
            "cap_add",
            "cap_drop",
            "security_opt",
            "networks",
            "labels",
            "secrets",
            "configs",
            "deploy",
            "stop_grace_period",
            "stop_signal",
            "ulimits",
            "init",
            "hostname",
            "extra_hosts",
            "logging",
            "profiles",
            "container_name",
            "mem_limit",
            "cpus",
            "pull_policy");

    static final Set<String> HEALTHCHECK_KEYS =
            Set.of("test", "interval", "timeout", "retries", "start_period", "start_interval", "disable");
    static final Set<String> CONDITIONS =
            Set.of("service_started", "service_healthy", "service_completed_successfully");
    static final String KEYLINE_DOCKERFILE = "deploy/docker/Dockerfile";

    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)}");
    private static final Pattern GENERATED = Pattern.compile("(?m)^([A-Z][A-Z0-9_]*)=");
    private static final Pattern PINNED_IMAGE = Pattern.compile("[^:@]+(/[^:@]+)*:(?!latest$)[\\w][\\w.-]*");

    private final JsonNode compose;
    private final Path baseDir;
    private final Path repositoryRoot;
    private final ConfigKeys keys;
    private final Set<String> generatedVariables;
    private final List<String> violations = new ArrayList<>();

    private ComposeRules(JsonNode compose, Path baseDir, ConfigKeys keys, Set<String> generatedVariables) {
        this.compose = compose;
        this.baseDir = baseDir;
        this.repositoryRoot = baseDir.resolve("../..").normalize();
        this.keys = keys;
        this.generatedVariables = generatedVariables;
    }

    /**
     * Every rule {@code composeFile} breaks. Relative paths resolve against {@code baseDir} (the real compose
     * directory, so fixtures can live elsewhere); {@code envScript} is the script that writes {@code .env}.
     */
    static List<String> check(Path composeFile, Path baseDir, Path envScript, ConfigKeys keys) {
        JsonNode compose;
        try {
            compose = Yaml.document(composeFile);
        } catch (RuntimeException e) {
            return List.of(composeFile.getFileName() + ": not valid YAML: " + e.getMessage());
        }
        ComposeRules rules = new ComposeRules(compose, baseDir, keys, generatedBy(envScript));
        rules.run();
        return List.copyOf(rules.violations);
    }

    private static Set<String> generatedBy(Path envScript) {
        try {
            Set<String> names = new LinkedHashSet<>();
            Matcher matcher = GENERATED.matcher(Files.readString(envScript));
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void run() {
        for (String key : names(compose)) {
            if (!TOP_LEVEL.contains(key) && !key.startsWith("x-")) {
                violations.add("unknown top-level key " + key + ("version".equals(key) ? " (obsolete)" : ""));
            }
        }
        JsonNode services = compose.path("services");
        if (!services.isObject() || services.isEmpty()) {
            violations.add("no services");
            return;
        }
        boolean keyline = false;
        for (String name : names(services)) {
            JsonNode service = services.get(name);
            service(name, service);
            keyline |= isKeyline(service);
        }
        if (!keyline) {
            violations.add("no service builds " + KEYLINE_DOCKERFILE);
        }
        interpolations(compose, "");
    }

    private void service(String name, JsonNode service) {
        String where = "service " + name;
        for (String key : names(service)) {
            if (!SERVICE_KEYS.contains(key)) {
                violations.add(where + ": unknown attribute " + key);
            }
        }
        image(where, service);
        dependencies(where, service);
        volumes(where, service);
        healthcheck(where, service.path("healthcheck"));
        for (JsonNode port : service.path("ports")) {
            if (!port.asText().startsWith("127.0.0.1:")) {
                violations.add(where + " publishes " + port.asText() + " beyond 127.0.0.1");
            }
        }
        JsonNode environment = service.path("environment");
        if (environment.isArray()) {
            violations.add(where + ": write environment as a map, so duplicate variables are caught");
        }
        for (String variable : names(environment)) {
            String value = environment.get(variable).asText();
            if (isKeyline(service)) {
                keys.problemWithEnv(variable).ifPresent(problem -> violations.add(where + ": " + problem));
            }
            boolean secret = KubernetesRules.SECRET_NAME.matcher(variable).matches()
                    || KubernetesRules.URL_WITH_PASSWORD.matcher(value).matches();
            if (secret && !value.contains("${")) {
                violations.add(where + ": " + variable + " has a literal secret; use a variable from .env");
            }
        }
        if (isKeyline(service)) {
            String test = service.path("healthcheck").path("test").toString();
            if (!test.contains(KubernetesRules.READY)) {
                violations.add(where + ": the healthcheck must ask " + KubernetesRules.READY);
            }
        }
    }

    private void image(String where, JsonNode service) {
        JsonNode build = service.path("build");
        if (!build.isMissingNode()) {
            Path context = baseDir.resolve(build.path("context").asText(".")).normalize();
            Path dockerfile = context.resolve(build.path("dockerfile").asText("Dockerfile"));
            if (!Files.isDirectory(context)) {
                violations.add(where + ": build context " + context + " does not exist");
            } else if (!Files.isRegularFile(dockerfile)) {
                violations.add(where + ": Dockerfile " + dockerfile + " does not exist");
            }
            return;
        }
        String image = service.path("image").asText("");
        if (!PINNED_IMAGE.matcher(image).matches()) {
            violations.add(
                    where + ": image " + (image.isEmpty() ? "(none)" : image) + " is not pinned to a version tag");
        }
    }

    private void dependencies(String where, JsonNode service) {
        JsonNode dependsOn = service.path("depends_on");
        if (dependsOn.isArray()) {
            violations.add(where + ": depends_on must name a condition for each dependency");
            return;
        }
        for (String target : names(dependsOn)) {
            JsonNode dependency = compose.path("services").path(target);
            String condition = dependsOn.get(target).path("condition").asText("service_started");
            if (dependency.isMissingNode()) {
                violations.add(where + " depends on " + target + ", which is not a service");
            } else if (!CONDITIONS.contains(condition)) {
                violations.add(where + ": unknown condition " + condition);
            } else if (condition.equals("service_healthy") && !hasHealthcheck(dependency)) {
                violations.add(where + " waits for " + target + " to be healthy, but it has no healthcheck");
            } else if (condition.equals("service_completed_successfully")
                    && !"no".equals(dependency.path("restart").asText("no"))) {
                violations.add(where + " waits for " + target + " to complete, but it restarts");
            } else if (condition.equals("service_started") && hasHealthcheck(dependency)) {
                violations.add(where + " starts before " + target + " is healthy; use service_healthy");
            }
        }
    }

    private void volumes(String where, JsonNode service) {
        for (JsonNode volume : service.path("volumes")) {
            String source = volume.isObject()
                    ? volume.path("source").asText()
                    : volume.asText().split(":")[0];
            if (source.startsWith(".") || source.startsWith("/")) {
                if (!Files.exists(baseDir.resolve(source))) {
                    violations.add(where + " mounts " + source + ", which does not exist");
                }
            } else if (!compose.path("volumes").has(source)) {
                violations.add(where + " mounts the volume " + source + ", which is not declared");
            }
        }
    }

    private void healthcheck(String where, JsonNode healthcheck) {
        for (String key : names(healthcheck)) {
            if (!HEALTHCHECK_KEYS.contains(key)) {
                violations.add(where + ": unknown healthcheck attribute " + key);
            }
        }
    }

    /** Every ${VAR} must be required (:?) and written by init-env.sh, so a missing .env fails loudly. */
    private void interpolations(JsonNode node, String path) {
        if (node.isObject() || node.isArray()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    interpolations(node.get(i), path + "[" + i + "]");
                }
            }
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                interpolations(field.getValue(), path + "." + field.getKey());
            }
            return;
        }
        Matcher matcher = INTERPOLATION.matcher(node.asText());
        while (matcher.find()) {
            String variable = matcher.group(1);
            if (!matcher.group(2).startsWith(":?")) {
                violations.add(path.substring(1) + ": ${" + variable + "} must be required (${" + variable + ":?…})");
            }
            if (!generatedVariables.contains(variable)) {
                violations.add(path.substring(1) + ": ${" + variable + "} is not written by init-env.sh");
            }
        }
    }

    private boolean isKeyline(JsonNode service) {
        JsonNode build = service.path("build");
        if (build.isMissingNode()) {
            return false;
        }
        Path dockerfile = baseDir.resolve(build.path("context").asText("."))
                .resolve(build.path("dockerfile").asText("Dockerfile"))
                .normalize();
        return dockerfile.equals(repositoryRoot.resolve(KEYLINE_DOCKERFILE));
    }

    private static boolean hasHealthcheck(JsonNode service) {
        JsonNode healthcheck = service.path("healthcheck");
        return healthcheck.path("test").size() > 0
                && !healthcheck.path("disable").asBoolean(false);
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }
}
