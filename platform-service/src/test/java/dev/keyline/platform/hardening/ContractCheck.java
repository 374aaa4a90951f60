package dev.keyline.platform.hardening;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.platform.hardening.ApiOperations.Operation;
import dev.keyline.platform.problem.SecretShapes;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One real answer against what the OpenAPI document says of it: the status is documented (or covered by
 * {@code default}), the content type is one documented for it, the body is valid against the documented schema
 * (types, enums, required properties, no undocumented ones, {@code null} only where the schema allows it, nested
 * through {@code $ref}s, arrays and maps), every response header the document marks required is there, and a
 * {@code 201} or {@code 202} names in {@code Location} something the caller can GET.
 */
final class ContractCheck {
    private ContractCheck() {}

    /**
     * Adds a line to {@code failures} for each way the answer differs from the document; {@code bearer} is the
     * credential the call used (for following {@code Location}), or null.
     */
    static void check(ApiOperations api, Operation op, Response response, String bearer, List<String> failures) {
        String status = String.valueOf(response.statusCode());
        JsonNode documented = op.responses().has(status)
                ? op.responses().get(status)
                : op.responses().get("default");
        String answer = op + " answered " + status;
        if (documented == null) {
            failures.add(answer + ", which it does not document (documented: " + names(op.responses()) + "); body: "
                    + truncate(response.asString()));
            return;
        }
        documented = api.resolve(documented);
        headers(api, documented, response, answer, failures);
        if (status.equals("201") || status.equals("202")) {
            location(response, bearer, answer, failures);
        }
        body(api, documented, response, answer, failures);
    }

    private static void headers(
            ApiOperations api, JsonNode documented, Response response, String answer, List<String> failures) {
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        documented.path("headers").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            JsonNode definition = api.resolve(header.getValue());
            String value = response.header(header.getKey());
            if (value == null) {
                if (definition.path("required").asBoolean(false)) {
                    failures.add(answer + " without the header " + header.getKey() + ", documented as required");
                }
                continue;
            }
            List<String> errors = new ArrayList<>();
            JsonNode schema = definition.path("schema");
            JsonNode parsed = schema.path("type").asText("").equals("integer") && value.matches("-?\\d{1,18}")
                    ? ApiOperations.JSON.getNodeFactory().numberNode(Long.parseLong(value))
                    : ApiOperations.JSON.getNodeFactory().textNode(value);
            validate(api, parsed, schema, "header " + header.getKey(), errors);
            errors.forEach(e -> failures.add(answer + ": " + e));
        }
    }

    private static void location(Response response, String bearer, String answer, List<String> failures) {
        String location = response.header("Location");
        if (location == null) {
            failures.add(answer + " without a Location header");
            return;
        }
        var request = given();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        int status = request.get(location).statusCode();
        if (status != 200) {
            failures.add(answer + " with Location " + truncate(location) + ", which answers GET with " + status);
        }
    }

    private static void body(
            ApiOperations api, JsonNode documented, Response response, String answer, List<String> failures) {
        String status = String.valueOf(response.statusCode());
        String body = response.asString();
        JsonNode content = documented.path("content");
        if (!content.isObject() || content.isEmpty()) {
            if (!body.isEmpty()) {
                failures.add(answer + " with a body, but documents " + status + " without content");
            }
            return;
        }
        String type = response.contentType() == null
                ? ""
                : response.contentType().split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (!content.has(type)) {
            failures.add(answer + " as " + type + ", but documents " + status + " as " + names(content));
            return;
        }
        if (response.statusCode() >= 400 && !type.equals("application/problem+json")) {
            failures.add(answer + " as " + type + ": errors are application/problem+json");
        }
        if (!type.endsWith("json")) {
            return;
        }
        JsonNode schema = content.get(type).path("schema");
        if (schema.isMissingNode() || schema.isEmpty()) {
            failures.add(answer + ": " + status + " " + type + " is documented without a schema");
            return;
        }
        JsonNode json;
        try {
            json = ApiOperations.JSON.readTree(body);
        } catch (java.io.IOException e) {
            failures.add(answer + " with a body that is not JSON: " + truncate(body));
            return;
        }
        List<String> errors = new ArrayList<>();
        validate(api, json, schema, "$", errors);
        errors.forEach(e -> failures.add(answer + ": " + e));
    }

    /** A JSON value against a (subset of) JSON Schema as OpenAPI 3.1 uses it; each mismatch names its location. */
    static void validate(ApiOperations api, JsonNode value, JsonNode schemaNode, String where, List<String> errors) {
        JsonNode schema = api.resolve(schemaNode);
        if (schema.has("allOf")) {
            schema.get("allOf").forEach(s -> validate(api, value, s, where, errors));
        }
        for (String alternatives : List.of("oneOf", "anyOf")) {
            if (schema.has(alternatives)) {
                boolean any = false;
                for (JsonNode s : schema.get(alternatives)) {
                    List<String> attempt = new ArrayList<>();
                    validate(api, value, s, where, attempt);
                    any |= attempt.isEmpty();
                }
                if (!any) {
                    errors.add(where + " matches none of the " + alternatives + " schemas");
                }
                return;
            }
        }
        if (value.isNull()) {
            if (!acceptsNull(api, schema)) {
                errors.add(where + " is null, but the document does not mark it nullable");
            }
            return;
        }
        List<String> types = types(schema);
        if (!types.isEmpty() && types.stream().noneMatch(t -> is(value, t))) {
            errors.add(where + " is " + kind(value) + ", documented as " + String.join("|", types));
            return;
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode e : schema.get("enum")) {
                listed |= e.equals(value);
            }
            if (!listed) {
                errors.add(where + " is " + value + ", not one of the documented " + schema.get("enum"));
            }
        }
        if (value.isObject()) {
            object(api, value, schema, where, errors);
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < Math.min(value.size(), 50); i++) {
                validate(api, value.get(i), schema.get("items"), where + "[" + i + "]", errors);
            }
        }
    }

    private static void object(ApiOperations api, JsonNode value, JsonNode schema, String where, List<String> errors) {
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                errors.add(where + "." + required.asText() + " is required but missing");
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String at = where + "." + field.getKey();
            if (properties.has(field.getKey())) {
                validate(api, field.getValue(), properties.get(field.getKey()), at, errors);
            } else if (additional.isObject()) {
                validate(api, field.getValue(), additional, at, errors);
            } else if (properties.isObject() && !additional.asBoolean(false)) {
                errors.add(at + " is not documented (documented: " + names(properties) + ")");
            }
        }
    }

    /** Null is a value only where the schema says so (3.1 {@code type: [..., "null"]}, or 3.0 {@code nullable}). */
    static boolean acceptsNull(ApiOperations api, JsonNode schemaNode) {
        JsonNode schema = api.resolve(schemaNode);
        if (types(schema).contains("null") || schema.path("nullable").asBoolean(false)) {
            return true;
        }
        boolean constrained = false;
        for (String keyword : List.of("type", "properties", "items", "enum", "const", "oneOf", "anyOf", "allOf")) {
            constrained |= schema.has(keyword);
        }
        if (!constrained) {
            return true; // an empty schema (any JSON value, such as a provider's raw payload) admits null too
        }
        for (JsonNode e : schema.path("enum")) {
            if (e.isNull()) {
                return true;
            }
        }
        for (String alternatives : List.of("oneOf", "anyOf")) {
            for (JsonNode s : schema.path(alternatives)) {
                if (acceptsNull(api, s)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> types(JsonNode schema) {
        List<String> types = new ArrayList<>();
        if (schema.path("type").isArray()) {
            schema.get("type").forEach(t -> types.add(t.asText()));
        } else if (schema.path("type").isTextual()) {
            types.add(schema.get("type").asText());
        }
        return types;
    }

    private static boolean is(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> true;
        };
    }

    private static String kind(JsonNode value) {
        return value.getNodeType().name().toLowerCase(Locale.ROOT) + " " + truncate(value.toString());
    }

    static String names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return String.join(", ", names);
    }

    /** Short, and with secrets masked: a failing answer may hold a fresh API key or session token. */
    static String truncate(String text) {
        String safe = SecretShapes.redact(text);
        return safe.length() <= 300 ? safe : safe.substring(0, 300) + "…";
    }
}
