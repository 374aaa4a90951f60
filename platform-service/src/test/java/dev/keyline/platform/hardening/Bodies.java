package dev.keyline.platform.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiFunction;

/** Plausible request bodies from an OpenAPI schema, with a hook to choose the value of any named field. */
final class Bodies {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Bodies() {}

    /**
     * An instance of the schema with every property filled (not only the required ones, so references such as
     * {@code account_id} are exercised). {@code override} answers a value for a field name, or null to let the
     * schema decide.
     */
    static JsonNode example(ApiOperations api, JsonNode schema, BiFunction<String, JsonNode, JsonNode> override) {
        return build(api, schema, null, override, 0);
    }

    private static JsonNode build(
            ApiOperations api,
            JsonNode schemaRef,
            String name,
            BiFunction<String, JsonNode, JsonNode> override,
            int depth) {
        JsonNode schema = api.resolve(schemaRef);
        if (name != null) {
            JsonNode chosen = override.apply(name, schema);
            if (chosen != null) {
                return chosen;
            }
        }
        if (depth > 6) {
            return F.nullNode();
        }
        for (String combinator : new String[] {"allOf", "oneOf", "anyOf"}) {
            if (schema.has(combinator) && schema.get(combinator).size() > 0) {
                return build(api, schema.get(combinator).get(0), name, override, depth + 1);
            }
        }
        if (schema.has("enum") && schema.get("enum").size() > 0) {
            return schema.get("enum").get(0);
        }
        String type = type(schema);
        switch (type) {
            case "object" -> {
                ObjectNode object = F.objectNode();
                for (Iterator<Map.Entry<String, JsonNode>> it =
                                schema.path("properties").fields();
                        it.hasNext(); ) {
                    Map.Entry<String, JsonNode> p = it.next();
                    String field = snake(p.getKey());
                    object.set(field, build(api, p.getValue(), field, override, depth + 1));
                }
                if (schema.path("additionalProperties").isObject()) {
                    object.set("key", build(api, schema.get("additionalProperties"), "key", override, depth + 1));
                }
                return object;
            }
            case "array" -> {
                ArrayNode array = F.arrayNode();
                array.add(build(api, schema.path("items"), name, override, depth + 1));
                return array;
            }
            case "integer" -> {
                long min = schema.path("minimum").asLong(1);
                return F.numberNode(Math.max(min, 60));
            }
            case "number" -> {
                return F.numberNode(1.5);
            }
            case "boolean" -> {
                return F.booleanNode(true);
            }
            default -> {
                String format = schema.path("format").asText("");
                return switch (format) {
                    case "date-time" -> F.textNode("2024-01-01T00:00:00Z");
                    case "uri", "url" -> F.textNode("https://example.com/hook");
                    default -> F.textNode("https://example.com/" + (name == null ? "x" : name));
                };
            }
        }
    }

    /**
     * The API reads snake_case (quarkus.jackson.property-naming-strategy); the OpenAPI document may still name
     * record components in camelCase.
     */
    static String snake(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!t.asText().equals("null")) {
                    return t.asText();
                }
            }
        }
        if (type.isTextual()) {
            return type.asText();
        }
        return schema.has("properties") ? "object" : "string";
    }
}
