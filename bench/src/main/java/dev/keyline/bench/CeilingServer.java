package dev.keyline.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The framework's ceiling for scenario 3: the HTTP stack under Quarkus (Vert.x on Netty), with Quarkus' default
 * number of event loops (2 per core), answering every request with the bytes the service answered for the page,
 * from memory, on the event loop. Nothing in Keyline can answer faster than this on the same machine, so it is an
 * honest upper bound that needs no debug endpoint in the product. Run in its own JVM with the service's heap flags.
 *
 * <p>Arguments: port, body file, content type. Prints {@code ready} once listening.
 */
public final class CeilingServer {
    private CeilingServer() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Buffer body = Buffer.buffer(Files.readAllBytes(Path.of(args[1])));
        String contentType = args[2];
        String length = Integer.toString(body.length());
        Vertx vertx = Vertx.vertx(
                new VertxOptions().setEventLoopPoolSize(2 * Runtime.getRuntime().availableProcessors()));
        int loops = 2 * Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < loops; i++) {
            vertx.createHttpServer()
                    .requestHandler(request -> request.response()
                            .putHeader("content-type", contentType)
                            .putHeader("content-length", length)
                            .end(body))
                    .listen(port, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get();
        }
        System.out.println("ready");
        System.out.flush();
    }
}
