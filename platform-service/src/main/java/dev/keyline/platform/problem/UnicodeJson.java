package dev.keyline.platform.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.keyline.platform.base.KeylineException;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * Every string the API reads from a JSON body, member names included, must be Unicode text: JSON escapes can spell
 * a lone surrogate ({@code "\ud800"}) that UTF-8 cannot hold, and PostgreSQL would store it as {@code ?}. The
 * application's mapper reads only request bodies; stored JSON goes through mappers of its own.
 */
@Singleton
public class UnicodeJson implements ObjectMapperCustomizer {

    /** A JSON string that is not Unicode text; its path names the member. */
    public static final class InvalidUnicodeInJson extends JsonMappingException {
        private static final long serialVersionUID = 1L;

        InvalidUnicodeInJson(JsonParser parser) {
            super(parser, "A string is not valid Unicode text.");
        }

        /** The member's path as the client wrote it, such as {@code credentials.scim_url}, or null at the top. */
        String field() {
            return pathOf(this);
        }
    }

    /**
     * The {@code invalid_unicode} problem when the body was refused for a lone surrogate, else null. Jackson's own
     * parser refuses one in a member name before any deserializer sees it, saying so in its message.
     */
    static KeylineException problemFor(JsonProcessingException e) {
        if (e instanceof InvalidUnicodeInJson invalid) {
            return InvalidUnicode.problem(invalid.field());
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonParseException parse
                    && parse.getOriginalMessage() != null
                    && parse.getOriginalMessage().contains("surrogate")) {
                return InvalidUnicode.problem(e instanceof JsonMappingException mapping ? pathOf(mapping) : null);
            }
        }
        return null;
    }

    private static String pathOf(JsonMappingException e) {
        String field = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        return field.isEmpty() ? null : field;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("keyline-unicode");
        module.addDeserializer(String.class, new Strings());
        module.addKeyDeserializer(String.class, new Keys());
        mapper.registerModule(module);
    }

    private static final class Strings extends StdScalarDeserializer<String> {
        private static final long serialVersionUID = 1L;

        Strings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = StringDeserializer.instance.deserialize(parser, context);
            if (value != null && !InvalidUnicode.isWellFormed(value)) {
                throw new InvalidUnicodeInJson(parser);
            }
            return value;
        }
    }

    private static final class Keys extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext context) throws IOException {
            if (key != null && !InvalidUnicode.isWellFormed(key)) {
                throw new InvalidUnicodeInJson(context.getParser());
            }
            return key;
        }
    }
}
