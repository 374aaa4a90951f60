package dev.keyline.connector.http;

import dev.keyline.connector.spi.ConnectorException;

/**
 * The only way a connector reaches the network. The platform's implementation enforces the egress policy,
 * time-outs and response size caps, and follows redirects itself (re-checking each one).
 *
 * <p>Failures to get any HTTP answer are thrown as {@link ConnectorException} with one of
 * {@code HOST_NOT_FOUND}, {@code TLS_ERROR}, {@code CONNECTION_FAILED}, {@code TIMEOUT},
 * {@code RESPONSE_TOO_LARGE} or {@code EGRESS_DENIED}. Any HTTP status, including 4xx and 5xx, is returned
 * as a response for the connector to interpret.
 */
public interface HttpTransport {
    HttpResponse send(HttpRequest request);
}
