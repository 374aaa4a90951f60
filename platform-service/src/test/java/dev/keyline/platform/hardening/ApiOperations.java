package dev.keyline.platform.hardening;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every operation of the running service, read from its own OpenAPI document at test time, so the suites that
 * walk the API cover endpoints added after they were written.
 */
final class ApiOperations {
    static final ObjectMapper JSON = new ObjectMapper();

    record Param(String name, String in, JsonNode schema, boolean required) {}

    /**
     * {@code responses} is the operation's documented responses object, keyed by status ("200", "default");
     * {@code security} the names of the schemes it accepts (empty: public).
     */
    record Operation(
            String operationId,
            String method,
            String path,
            List<Param> params,
            JsonNode bodySchema,
            java.util.Set<String> produces,
            JsonNode responses,
            List<String> security) {
        List<Param> in(String where) {
            return params.stream().filter(p -> p.in().equals(where)).toList();
        }

        /** The documented statuses, "default" included, in document order. */
        List<String> statuses() {
            List<String> statuses = new ArrayList<>();
            responses.fieldNames().forEachRemaining(statuses::add);
            return statuses;
        }

        boolean hasHeader(String name) {
            return in("header").stream().anyMatch(p -> p.name().equalsIgnoreCase(name));
        }

        /** Under /q/: health, OpenAPI, metrics; not the API. */
        boolean infrastructure() {
            return path.startsWith("/q/") || path.equals("/q");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private final JsonNode document;
    private final List<Operation> operations;

    private ApiOperations(JsonNode document) {
        this.document = document;
        List<Operation> list = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths =
                        document.path("paths").fields();
                paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            List<Param> shared = params(path.getValue().path("parameters"));
            for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext(); ) {
                Map.Entry<String, JsonNode> m = methods.next();
                String method = m.getKey().toUpperCase(Locale.ROOT);
                if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                Map<String, Param> merged = new LinkedHashMap<>();
                shared.forEach(p -> merged.put(p.in() + ":" + p.name(), p));
                params(m.getValue().path("parameters")).forEach(p -> merged.put(p.in() + ":" + p.name(), p));
                // Path templates name their parameters even when the document does not list them.
                java.util.regex.Matcher t =
                        java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(path.getKey());
                while (t.find()) {
                    merged.putIfAbsent(
                            "path:" + t.group(1),
                            new Param(
                                    t.group(1), "path", JSON.createObjectNode().put("type", "string"), true));
                }
                JsonNode body = null;
                JsonNode content = m.getValue().path("requestBody").path("content");
                if (content.isObject()) {
                    JsonNode json = content.path("application/json").path("schema");
                    body = json.isMissingNode() ? JSON.createObjectNode().put("type", "object") : resolve(json);
                }
                java.util.Set<String> produces = new java.util.TreeSet<>();
                for (JsonNode response : m.getValue().path("responses")) {
                    response.path("content").fieldNames().forEachRemaining(produces::add);
                }
                List<String> security = new ArrayList<>();
                JsonNode requirements =
                        m.getValue().has("security") ? m.getValue().get("security") : document.path("security");
                requirements.forEach(r -> r.fieldNames().forEachRemaining(security::add));
                list.add(new Operation(
                        m.getValue().path("operationId").asText(null),
                        method,
                        path.getKey(),
                        List.copyOf(merged.values()),
                        body,
                        produces,
                        m.getValue().path("responses"),
                        List.copyOf(security)));
            }
        }
        this.operations = List.copyOf(list);
    }

    static ApiOperations fetch() {
        String text = given().queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        try {
            java.nio.file.Files.createDirectories(HygieneFiles.DIR);
            // Kept for whoever reads a failure: the document the suites walked.
            java.nio.file.Files.writeString(HygieneFiles.DIR.resolve("openapi.json"), text);
            return new ApiOperations(JSON.readTree(text));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    List<Operation> all() {
        return operations;
    }

    List<Operation> api() {
        return operations.stream().filter(o -> !o.infrastructure()).toList();
    }

    private List<Param> params(JsonNode array) {
        List<Param> result = new ArrayList<>();
        for (JsonNode p : array) {
            JsonNode param = resolve(p);
            result.add(new Param(
                    param.path("name").asText(),
                    param.path("in").asText(),
                    resolve(param.path("schema")),
                    param.path("required").asBoolean(false)));
        }
        return result;
    }

    /** Follows a {@code $ref} within the document. */
    JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int i = 0; i < 10 && current.has("$ref"); i++) {
            String ref = current.get("$ref").asText();
            current = document.at(ref.substring(1));
        }
        return current;
    }
}
