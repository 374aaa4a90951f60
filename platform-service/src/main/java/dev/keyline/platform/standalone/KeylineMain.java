package dev.keyline.platform.standalone;

import dev.keyline.platform.credential.MasterKeyMismatchException;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service's entry point. In standalone mode ({@code keyline.standalone.enabled=true}, set by
 * {@code ./keyline start}) it starts the embedded PostgreSQL alongside Quarkus (the first connection waits for
 * it, see {@link StandaloneLauncher}) and stops it after Quarkus has stopped. Otherwise it only runs Quarkus, configured as usual.
 */
@QuarkusMain
public final class KeylineMain {
    private KeylineMain() {}

    public static void main(String... args) {
        StandaloneSettings settings = StandaloneSettings.from(System.getenv(), System.getProperties());
        if (!settings.enabled()) {
            Quarkus.run(KeylineApplication.class, args);
            return;
        }
        StandaloneLauncher launcher;
        try {
            launcher = StandaloneLauncher.start(settings);
        } catch (RuntimeException e) {
            System.err.println("Keyline could not start standalone mode: " + e.getMessage());
            System.exit(1);
            return;
        }
        launcher.applyToSystemProperties();
        // Quarkus is booting meanwhile and would only notice at Flyway's connection, after its retries. Nothing is
        // running that needs stopping (no database, no request served yet), so the process ends at once.
        launcher.onPostgresFailure(reason -> {
            System.err.println("Keyline could not start standalone mode: " + reason);
            System.err.flush();
            Runtime.getRuntime().halt(1);
        });

        CountDownLatch quarkusStopped = new CountDownLatch(1);
        // Ctrl-C runs shutdown hooks concurrently; PostgreSQL must outlive Quarkus' connection pool.
        Thread stopPostgres = new Thread(
                () -> {
                    try {
                        quarkusStopped.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    launcher.close();
                },
                "keyline-postgres-stop");
        Runtime.getRuntime().addShutdownHook(stopPostgres);

        AtomicInteger exitCode = new AtomicInteger();
        try {
            Quarkus.run(
                    KeylineApplication.class,
                    (code, failure) -> {
                        if (failure != null && shuttingDown()) {
                            // Ctrl-C while Quarkus was starting, typically before it could register its shutdown
                            // hook (the JVM refuses new hooks once it is stopping): nothing ran that could be half
                            // done, and PostgreSQL is stopped below. One line, not a stack trace.
                            System.err.println("Keyline stopped while starting (" + failure + ")");
                            return;
                        }
                        exitCode.set(code);
                        Optional<MasterKeyMismatchException> refused =
                                causeOf(failure, MasterKeyMismatchException.class);
                        if (refused.isPresent()) {
                            // A refusal written for the operator: the message, not a stack trace around it.
                            System.err.println(
                                    "Keyline could not start: " + refused.get().getMessage());
                        } else if (failure != null) {
                            // With our own exit handler Quarkus leaves reporting to us.
                            failure.printStackTrace();
                        }
                    },
                    args);
        } finally {
            quarkusStopped.countDown();
            launcher.close();
        }
        if (exitCode.get() != 0) {
            System.exit(exitCode.get());
        }
    }

    private static <T extends Throwable> Optional<T> causeOf(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> {});
        try {
            Runtime.getRuntime().addShutdownHook(probe);
        } catch (IllegalStateException e) {
            return true;
        }
        Runtime.getRuntime().removeShutdownHook(probe);
        return false;
    }
}
