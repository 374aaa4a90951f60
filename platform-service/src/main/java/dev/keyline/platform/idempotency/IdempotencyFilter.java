package dev.keyline.platform.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.idempotency.IdempotencyStore.Answer;
import dev.keyline.platform.idempotency.IdempotencyStore.Caller;
import dev.keyline.platform.idempotency.IdempotencyStore.Claim;
import dev.keyline.platform.idempotency.IdempotencyStore.Claimed;
import dev.keyline.platform.idempotency.IdempotencyStore.InUse;
import dev.keyline.platform.idempotency.IdempotencyStore.Outcome;
import dev.keyline.platform.idempotency.IdempotencyStore.Replay;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * {@code Idempotency-Key} for the operations marked {@link Idempotent}, so a client that lost an answer can send the
 * request again without creating twice. The first complete answer (status, body, {@code Location}, content type) is
 * replayed, with {@code Idempotent-Replayed: true}, to the same caller sending the same key for
 * {@link IdempotencyConfig#ttl()}. The same key with another request (method, path and query, body byte for byte) is
 * {@code 422 idempotency_key_reused}; while the first request runs, {@code 409 idempotency_key_in_use}. A 5xx answer
 * is not kept, so the client may retry; a 4xx is (the same request would get the same answer).
 *
 * <p>Runs after authentication, authorization, the rate limit and the other request filters, so a request they
 * refuse never holds a key.
 */
public class IdempotencyFilter {
    private static final Logger LOG = Logger.getLogger(IdempotencyFilter.class);
    private static final String CLAIM = IdempotencyFilter.class.getName() + ".claim";
    static final String REPLAYED = "Idempotent-Replayed";
    private static final Duration RETRY_IN_USE = Duration.ofSeconds(1);

    @Inject
    IdempotencyStore store;

    @Inject
    SecurityIdentity identity;

    @Inject
    ObjectMapper mapper;

    private final Clock clock = Clock.systemUTC();

    @ServerRequestFilter(priority = Priorities.USER + 500)
    public Optional<Response> claim(ContainerRequestContext request, ResourceInfo resource) throws IOException {
        if (resource.getResourceMethod() == null
                || !resource.getResourceMethod().isAnnotationPresent(Idempotent.class)) {
            return Optional.empty();
        }
        List<String> sent = request.getHeaders().get(IdempotencyKeys.HEADER);
        Optional<Caller> caller = caller();
        if (sent == null || sent.isEmpty() || caller.isEmpty()) {
            return Optional.empty();
        }
        String key = IdempotencyKeys.check(sent);
        byte[] body = readBody(request);
        String query = request.getUriInfo().getRequestUri().getRawQuery();
        String requestDigest = IdempotencyKeys.digest(
                request.getMethod().getBytes(StandardCharsets.UTF_8),
                request.getUriInfo().getPath().getBytes(StandardCharsets.UTF_8),
                (query == null ? "" : query).getBytes(StandardCharsets.UTF_8),
                body);
        Outcome outcome = store.claim(caller.get(), key, requestDigest, clock.instant());
        if (outcome instanceof Claimed claimed) {
            request.setProperty(CLAIM, claimed.claim());
            return Optional.empty();
        }
        if (outcome instanceof Replay replay) {
            return Optional.of(replay(replay.answer()));
        }
        if (outcome instanceof InUse) {
            throw KeylineException.of(
                            Kind.CONFLICT,
                            FailureCode.IDEMPOTENCY_KEY_IN_USE,
                            "Idempotency key in use",
                            "A request with this Idempotency-Key is still running; retry after the number of seconds"
                                    + " in Retry-After to get its answer.")
                    .field(IdempotencyKeys.HEADER)
                    .retryAfter(RETRY_IN_USE);
        }
        throw KeylineException.of(
                        Kind.UNPROCESSABLE,
                        FailureCode.IDEMPOTENCY_KEY_REUSED,
                        "Idempotency key reused",
                        "This Idempotency-Key was sent with a different request (method, path, query or body); use a"
                                + " new key for a new request.")
                .field(IdempotencyKeys.HEADER);
    }

    @ServerResponseFilter
    public void complete(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(CLAIM) instanceof Claim claim)) {
            return;
        }
        request.removeProperty(CLAIM);
        try {
            if (response.getStatus() >= 500) {
                store.release(claim);
                return;
            }
            store.complete(
                    claim,
                    new Answer(
                            response.getStatus(),
                            response.getMediaType() == null
                                    ? null
                                    : response.getMediaType().toString(),
                            response.getHeaderString(HttpHeaders.LOCATION),
                            serialize(response.getEntity())));
        } catch (IOException | RuntimeException e) {
            // The client still gets this answer; the key is given back so that a retry runs again rather than wait.
            LOG.warnf("Could not keep the answer for an Idempotency-Key (%s); the key is released", e.toString());
            try {
                store.release(claim);
            } catch (RuntimeException again) {
                LOG.warnf("Releasing the Idempotency-Key failed too (%s); it frees after the lock timeout", again);
            }
        }
    }

    private Optional<Caller> caller() {
        if (identity == null || identity.isAnonymous()) {
            return Optional.empty();
        }
        Object tenant = identity.getAttribute(Roles.TENANT_ID_ATTRIBUTE);
        if (tenant != null) {
            return Optional.of(new Caller("tenant:" + tenant, tenant.toString()));
        }
        return Optional.of(new Caller("principal:" + identity.getPrincipal().getName(), IdempotencyStore.OPERATORS));
    }

    /** The body as sent, put back for the resource to read. */
    private static byte[] readBody(ContainerRequestContext request) throws IOException {
        InputStream in = request.getEntityStream();
        byte[] body = in == null ? new byte[0] : in.readAllBytes();
        request.setEntityStream(new ByteArrayInputStream(body));
        return body;
    }

    private byte[] serialize(Object entity) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        if (entity instanceof byte[] bytes) {
            return bytes;
        }
        if (entity instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        return mapper.writeValueAsBytes(entity);
    }

    private static Response replay(Answer answer) {
        Response.ResponseBuilder response = Response.status(answer.status()).header(REPLAYED, "true");
        if (answer.body().length > 0) {
            response.entity(answer.body());
        }
        if (answer.contentType() != null) {
            response.type(answer.contentType());
        }
        if (answer.location() != null) {
            response.header(HttpHeaders.LOCATION, answer.location());
        }
        return response.build();
    }
}
