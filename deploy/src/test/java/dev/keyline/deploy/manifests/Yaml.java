package dev.keyline.deploy.manifests;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads YAML files into trees, one per document, refusing duplicate keys (YAML would keep the last silently). */
final class Yaml {
    static final ObjectMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder().build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Yaml() {}

    /** Every non-empty document of the file. */
    static List<JsonNode> documents(Path file) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> values = MAPPER.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (values.hasNextValue()) {
                JsonNode document = values.nextValue();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        return documents;
    }

    /** The file's single document. */
    static JsonNode document(Path file) {
        List<JsonNode> documents = documents(file);
        if (documents.size() != 1) {
            throw new IllegalArgumentException(file + " holds " + documents.size() + " YAML documents, not one");
        }
        return documents.get(0);
    }
}
