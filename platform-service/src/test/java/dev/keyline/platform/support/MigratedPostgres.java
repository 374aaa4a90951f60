package dev.keyline.platform.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.flywaydb.core.Flyway;

/** An embedded PostgreSQL with Keyline's schema, for tests of one store without a Quarkus application. */
public final class MigratedPostgres {
    private MigratedPostgres() {}

    /** Started and migrated with the service's own migrations; close it when done. */
    public static EmbeddedPostgres start() {
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Flyway.configure()
                .dataSource(postgres.getPostgresDatabase())
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return postgres;
    }
}
