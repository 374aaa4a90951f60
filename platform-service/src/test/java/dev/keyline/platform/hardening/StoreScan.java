package dev.keyline.platform.hardening;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.bson.Document;

/** Reads every row of every PostgreSQL table and every document of every MongoDB collection, looking for secrets. */
final class StoreScan {
    int tables;
    int rows;
    int collections;
    int documents;
    final List<String> hits = new ArrayList<>();
    final List<String> errors = new ArrayList<>();

    static StoreScan run(DataSource dataSource, String mongoUri, String mongoDatabase, SecretScan scan) {
        StoreScan result = new StoreScan();
        result.postgres(dataSource, scan);
        result.mongo(mongoUri, mongoDatabase, scan);
        return result;
    }

    private void postgres(DataSource dataSource, SecretScan scan) {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet t = s.executeQuery("select table_schema, table_name from information_schema.tables"
                    + " where table_type = 'BASE TABLE'"
                    + " and table_schema not in ('pg_catalog', 'information_schema')")) {
                while (t.next()) {
                    names.add('"' + t.getString(1) + "\".\"" + t.getString(2) + '"');
                }
            }
            for (String table : names) {
                tables++;
                try (ResultSet r = s.executeQuery("select * from " + table)) {
                    ResultSetMetaData meta = r.getMetaData();
                    while (r.next()) {
                        rows++;
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            Object value = r.getObject(i);
                            // bytea as raw bytes: a secret stored unencrypted in a binary column still shows.
                            row.append(value instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : value)
                                    .append('\u0001');
                        }
                        scan.scan(row.toString()).forEach(h -> hits.add("PostgreSQL " + table + ": " + h.masked()));
                    }
                }
            }
        } catch (Exception e) {
            errors.add("PostgreSQL: " + e);
        }
    }

    private void mongo(String uri, String database, SecretScan scan) {
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri))
                .applyToClusterSettings(b -> b.serverSelectionTimeout(3, TimeUnit.SECONDS))
                .build();
        try (MongoClient client = MongoClients.create(settings)) {
            for (String name : client.listDatabaseNames()) {
                if (List.of("admin", "local", "config").contains(name)) {
                    continue;
                }
                MongoDatabase db = client.getDatabase(name);
                for (String collection : db.listCollectionNames()) {
                    collections++;
                    for (Document doc : db.getCollection(collection).find()) {
                        documents++;
                        scan.scan(doc.toJson())
                                .forEach(h -> hits.add("MongoDB " + name + "." + collection + ": " + h.masked()));
                    }
                }
            }
        } catch (Exception e) {
            errors.add("MongoDB " + database + ": " + e);
        }
    }
}
