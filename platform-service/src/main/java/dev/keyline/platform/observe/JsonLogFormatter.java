package dev.keyline.platform.observe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logmanager.ExtFormatter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * One JSON object per line: {@code timestamp}, {@code level}, {@code logger}, {@code thread}, {@code message}, every
 * MDC field at the top level ({@code tenant_id}, {@code account_id}, {@code request_id}, {@code connector},
 * {@code trace_id}, {@code span_id}, ...), and {@code exception} when there is one. The message is the same text the
 * plain format prints, so what is kept out of log lines (credentials) is kept out of these too.
 */
public final class JsonLogFormatter extends ExtFormatter {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String format(ExtLogRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField(
                    "timestamp", Instant.ofEpochMilli(record.getMillis()).toString());
            json.writeStringField("level", record.getLevel().getName());
            json.writeStringField("logger", record.getLoggerName());
            json.writeStringField("thread", record.getThreadName());
            json.writeStringField("message", record.getFormattedMessage());
            for (Map.Entry<String, String> field : fields(record).entrySet()) {
                json.writeStringField(field.getKey(), field.getValue());
            }
            Throwable thrown = record.getThrown();
            if (thrown != null) {
                json.writeObjectFieldStart("exception");
                json.writeStringField("type", thrown.getClass().getName());
                json.writeStringField("message", String.valueOf(thrown.getMessage()));
                StringWriter stack = new StringWriter();
                thrown.printStackTrace(new PrintWriter(stack));
                json.writeStringField("stack", stack.toString());
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append(System.lineSeparator()).toString();
    }

    /** The MDC, sorted; OpenTelemetry's own {@code traceId} and {@code spanId} under this format's names. */
    private static Map<String, String> fields(ExtLogRecord record) {
        Map<String, String> fields = new TreeMap<>();
        record.getMdcCopy().forEach((key, value) -> {
            if (value == null || "message".equals(key) || "level".equals(key) || "logger".equals(key)) {
                return;
            }
            String name = switch (key) {
                case "traceId" -> RequestMdc.TRACE_ID;
                case "spanId" -> RequestMdc.SPAN_ID;
                case "parentId", "sampled" -> null;
                default -> key;
            };
            if (name != null) {
                fields.putIfAbsent(name, value.toString());
            }
        });
        return fields;
    }
}
