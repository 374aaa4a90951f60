package dev.keyline.platform.standalone;

import java.nio.file.Path;
import java.util.Optional;

/** The console text of a standalone start. Keys appear only in the start that created them. */
final class Banner {
    private Banner() {}

    record FirstTenant(String id, String name, String apiKey) {}

    static String render(
            int httpPort,
            Path dataDir,
            int postgresPort,
            Optional<FirstTenant> newTenant,
            Optional<String> newOperatorKey) {
        String base = "http://localhost:" + httpPort;
        StringBuilder out = new StringBuilder();
        out.append('\n');
        out.append("  Keyline is running (standalone mode)\n");
        out.append("    API          ").append(base).append('\n');
        out.append("    Swagger UI   ").append(base).append("/swagger-ui\n");
        out.append("    Health       ").append(base).append("/q/health/ready\n");
        out.append("    Data         ").append(dataDir).append('\n');
        out.append("                 PostgreSQL in ")
                .append(dataDir.resolve("pg"))
                .append(" (localhost:")
                .append(postgresPort)
                .append("), master key in ")
                .append(dataDir.resolve("master.key"))
                .append('\n');
        if (newTenant.isPresent() || newOperatorKey.isPresent()) {
            out.append('\n');
            out.append("  Shown this once; copy them now (only hashes are stored):\n");
            newTenant.ifPresent(t -> out.append("    Tenant \"")
                    .append(t.name())
                    .append("\" (")
                    .append(t.id())
                    .append(") API key   ")
                    .append(t.apiKey())
                    .append('\n'));
            newOperatorKey.ifPresent(k -> out.append("    Operator key (manages tenants)   ")
                    .append(k)
                    .append('\n'));
            out.append("    Use them as `Authorization: Bearer <key>`.\n");
        } else {
            out.append('\n');
            out.append("  API keys were shown at the first start only. Lost them? Run `./keyline help`.\n");
        }
        return out.toString();
    }
}
