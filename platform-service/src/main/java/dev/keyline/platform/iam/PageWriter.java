package dev.keyline.platform.iam;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.platform.directory.IamDtos.PageDto;
import dev.keyline.platform.sync.SyncedReadCache;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Writes a page of records as one buffer with its length. The default JSON writer streams through an 8 KB
 * buffer, so a page of 100 users went out as several chunks, each a hand-off from the worker thread to the event
 * loop; one write saves those (measurably so on a busy machine) and lets the client read a sized body. Same JSON,
 * from the application's {@link ObjectMapper}.
 */
@Provider
@Produces(MediaType.APPLICATION_JSON)
public class PageWriter implements ServerMessageBodyWriter<PageDto<?>> {
    private final ObjectMapper mapper;
    private final SyncedReadCache cache;

    public PageWriter(ObjectMapper mapper, SyncedReadCache cache) {
        this.mapper = mapper;
        this.cache = cache;
    }

    /** A cached synced page's JSON was encoded once, by this same mapper, when it was cached. */
    private byte[] json(PageDto<?> page) throws IOException {
        byte[] cached = cache.json(page);
        return cached != null ? cached : mapper.writeValueAsBytes(page);
    }

    @Override
    public boolean isWriteable(
            Class<?> type, Type genericType, ResteasyReactiveResourceInfo target, MediaType mediaType) {
        return PageDto.class.isAssignableFrom(type);
    }

    @Override
    public void writeResponse(PageDto<?> page, Type genericType, ServerRequestContext context) throws IOException {
        byte[] body = json(page);
        if (context.serverResponse().getResponseHeader(HttpHeaders.CONTENT_TYPE) == null) {
            context.serverResponse().setResponseHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
        context.serverResponse().end(body);
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return PageDto.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(
            PageDto<?> page,
            Class<?> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, Object> httpHeaders,
            OutputStream entityStream)
            throws IOException {
        entityStream.write(json(page));
    }
}
