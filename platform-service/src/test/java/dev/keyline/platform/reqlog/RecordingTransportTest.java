package dev.keyline.platform.reqlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.platform.observe.UpstreamScope;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RecordingTransportTest {
    private final List<RequestLogEntry> written = new ArrayList<>();
    private final RequestLog log = new RequestLog(true, 100, new SimpleMeterRegistry(), written::addAll);
    private final Deque<Supplier<HttpResponse>> answers = new ArrayDeque<>();

    private HttpResponse answer(int status, String body) {
        return new HttpResponse(status, URI.create("https://p.example"), Map.of(), body.getBytes());
    }

    @Test
    void recordsPathTemplateStatusBytesAndNoQueryValues() {
        RecordingTransport transport = transport(RequestLogSubject.account("t1", "a1"));
        answers.add(() -> answer(200, "hello"));

        try (UpstreamScope ignored = UpstreamScope.enter("scim", "get_user")) {
            transport.send(
                    HttpRequest.get(URI.create("https://p.example/scim/v2/Users/2819c223-7f76-453a-919d-413861904646"
                                    + "?attributes=userName&access_token=s3cret"))
                            .header("Authorization", "Bearer s3cret"));
        }
        log.flush();

        RequestLogEntry e = written.get(0);
        assertThat(e.pathTemplate()).isEqualTo("/scim/v2/Users/{id}");
        assertThat(e.path()).isEqualTo("/scim/v2/Users/2819c223-7f76-453a-919d-413861904646?attributes&access_token");
        assertThat(e.toString()).doesNotContain("s3cret");
        assertThat(e.status()).isEqualTo(200);
        assertThat(e.responseBytes()).isEqualTo(5);
        assertThat(e.attempt()).isEqualTo(1);
        assertThat(e.provider()).isEqualTo("scim");
        assertThat(e.operation()).isEqualTo("get_user");
        assertThat(e.accountId()).isEqualTo("a1");
    }

    @Test
    void countsAttemptsOfARequestThatKeepsFailingAndTheTrailKeepsTheFailure() {
        RequestLogSubject subject = RequestLogSubject.validation("t1", null);
        RecordingTransport transport = transport(subject);
        answers.add(() -> answer(503, ""));
        answers.add(() -> {
            throw new ConnectorException(ErrorCode.TIMEOUT, "slow");
        });
        answers.add(() -> answer(200, "{}"));
        answers.add(() -> answer(200, "{}"));
        HttpRequest request = HttpRequest.get(URI.create("https://p.example/Users"));

        transport.send(request);
        assertThatThrownBy(() -> transport.send(request)).isInstanceOf(ConnectorException.class);
        transport.send(request);
        transport.send(request);
        log.flush();

        assertThat(written).extracting(RequestLogEntry::attempt).containsExactly(1, 2, 3, 1);
        assertThat(written.get(1).errorCode()).isEqualTo("timeout");
        assertThat(written.get(1).status()).isNull();
        assertThat(written).allSatisfy(e -> assertThat(e.accountId()).isNull());
        assertThat(subject.trail().failure()).contains(written.get(1).id());
    }

    private RecordingTransport transport(RequestLogSubject subject) {
        return new RecordingTransport(request -> answers.removeFirst().get(), log, subject);
    }
}
