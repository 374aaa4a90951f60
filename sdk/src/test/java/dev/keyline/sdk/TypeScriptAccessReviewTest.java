package dev.keyline.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.scimdouble.ScimUser;
import dev.keyline.sdk.KeylineService.Environment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The TypeScript SDK's suite ({@code typescript/test}, compiled by the build's {@code npm run build:test}) under
 * {@code node --test}, against the service this run already started: one JUnit test, its output in the build's log.
 */
@ExtendWith(KeylineService.class)
class TypeScriptAccessReviewTest {
    @Test
    void typeScriptSuitePasses(Environment env) throws IOException, InterruptedException {
        Path project = Path.of(System.getProperty("keyline.sdk.typescript", "typescript"));
        List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=spec"));
        try (Stream<Path> files = Files.list(project.resolve("dist-test/test"))) {
            files.filter(f -> f.getFileName().toString().endsWith(".test.js"))
                    .sorted()
                    .forEach(f -> command.add(project.relativize(f).toString()));
        }
        assertThat(command).as("compiled TypeScript tests").hasSizeGreaterThan(3);

        ScimUser sample = env.upstream.directory().users().get(7);
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true);
        builder.environment()
                .putAll(Map.of(
                        "KEYLINE_URL", env.baseUrl,
                        "KEYLINE_API_KEY", env.apiKey,
                        "KEYLINE_ACCOUNT_ID", env.accountId,
                        "KEYLINE_EXPECT_USERS", Integer.toString(env.userCount()),
                        "KEYLINE_EXPECT_DISABLED",
                                Integer.toString(env.suspendedUsers().size()),
                        "KEYLINE_EXPECT_GROUPS",
                                Integer.toString(env.upstream.directory().groupCount()),
                        "KEYLINE_EXPECT_MEMBERSHIPS", Integer.toString(env.membershipCount()),
                        "KEYLINE_SAMPLE_EMAIL", sample.primaryEmail().orElseThrow(),
                        "KEYLINE_SAMPLE_REMOTE_ID", sample.id()));
        Process node = builder.start();
        try (BufferedReader output =
                new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            // Line by line into the build's log, so a failing step reads there as node reported it.
            output.lines().forEach(line -> System.out.println("[node] " + line));
        }
        if (!node.waitFor(5, TimeUnit.MINUTES)) {
            node.destroyForcibly();
            throw new AssertionError("the TypeScript suite did not end within 5 minutes");
        }
        assertThat(node.exitValue())
                .as("node --test exit status (its report is above)")
                .isZero();
    }
}
