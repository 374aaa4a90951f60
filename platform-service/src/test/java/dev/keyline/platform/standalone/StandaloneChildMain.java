package dev.keyline.platform.standalone;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A standalone start in a JVM of its own, for tests that kill it: starts the embedded PostgreSQL on the data
 * directory in {@code args[0]}, writes a row, prints {@code READY}, and waits to be killed.
 */
public final class StandaloneChildMain {
    private StandaloneChildMain() {}

    public static void main(String... args) throws Exception {
        StandaloneSettings settings = new StandaloneSettings(true, Path.of(args[0]), 18090, OptionalInt.empty());
        StandaloneLauncher launcher = StandaloneLauncher.start(settings);
        Map<String, String> configuration = launcher.configuration();
        try (Connection c = DriverManager.getConnection(
                        configuration.get("quarkus.datasource.jdbc.url"),
                        configuration.get("quarkus.datasource.username"),
                        configuration.get("quarkus.datasource.password"));
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS kept (v text)");
            s.execute("INSERT INTO kept VALUES ('written before the kill')");
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
