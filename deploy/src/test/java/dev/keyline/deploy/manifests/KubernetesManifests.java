package dev.keyline.deploy.manifests;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads Kubernetes manifests into fabric8's typed model, strictly: an unknown or misspelt field, a value of the
 * wrong type (a quoted number, an unquoted boolean where the API wants a string) or an unsupported
 * {@code apiVersion}/{@code kind} is an error, as the API server would answer. fabric8's classes normally keep
 * unknown fields in {@code additionalProperties}; that catch-all is switched off here.
 */
final class KubernetesManifests {

    /** The objects Keyline's manifests may hold, by {@code apiVersion/kind}. */
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

    /** One object and where it came from. */
    record Manifest(Path file, int document, HasMetadata object) {
        String where() {
            return file.getFileName() + "#" + document + " " + object.getKind() + "/"
                    + object.getMetadata().getName();
        }
    }

    /** The objects read, and every error met; an object with an error is left out. */
    record Result(List<Manifest> manifests, List<String> errors) {}

    private static final ObjectMapper STRICT = strictMapper();

    private KubernetesManifests() {}

    static Result read(List<Path> files) {
        List<Manifest> manifests = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Path file : files) {
            List<JsonNode> documents;
            try {
                documents = Yaml.documents(file);
            } catch (RuntimeException e) {
                errors.add(file.getFileName() + ": not valid YAML: " + e.getMessage());
                continue;
            }
            for (int i = 0; i < documents.size(); i++) {
                String where = file.getFileName() + "#" + (i + 1);
                JsonNode document = documents.get(i);
                String type = document.path("apiVersion").asText() + "/"
                        + document.path("kind").asText();
                Class<? extends HasMetadata> kind = KINDS.get(type);
                if (kind == null) {
                    errors.add(where + ": unsupported apiVersion/kind " + type);
                    continue;
                }
                try {
                    HasMetadata object = STRICT.treeToValue(document, kind);
                    if (object.getMetadata() == null
                            || blank(object.getMetadata().getName())) {
                        errors.add(where + ": " + type + " has no metadata.name");
                        continue;
                    }
                    manifests.add(new Manifest(file, i + 1, object));
                } catch (JsonMappingException e) {
                    errors.add(where + ": " + type + " at " + path(e) + ": " + e.getOriginalMessage());
                } catch (Exception e) {
                    errors.add(where + ": " + type + ": " + e.getMessage());
                }
            }
        }
        return new Result(manifests, errors);
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "(root)" : path.toString();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .annotationIntrospector(new JacksonAnnotationIntrospector() {
                    @Override
                    public Boolean hasAnySetter(Annotated member) {
                        // fabric8's "additionalProperties" would swallow every misspelt field.
                        return isFabric8(member) ? Boolean.FALSE : super.hasAnySetter(member);
                    }

                    @Override
                    public Boolean hasAnyGetter(Annotated member) {
                        return isFabric8(member) ? Boolean.FALSE : super.hasAnyGetter(member);
                    }
                })
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // The API server is typed: "2" is not an integer, and true is not a string.
        for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        return mapper;
    }

    private static boolean isFabric8(Annotated member) {
        return member instanceof AnnotatedMember m
                && m.getDeclaringClass().getName().startsWith("io.fabric8.");
    }
}
