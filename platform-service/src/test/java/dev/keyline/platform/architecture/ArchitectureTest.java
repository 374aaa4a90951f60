package dev.keyline.platform.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.keyline.platform.base.backedge.BackEdgeFixture;
import dev.keyline.platform.base.backedge.HandMadeTimerFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package layering of docs/architecture.md: each package of {@code dev.keyline.platform} may depend only on
 * the packages listed before it. A new dependency on a package listed later is a back-edge and fails here; if
 * it is really wanted, the layering is changed on purpose, here and in the document together.
 */
class ArchitectureTest {
    static final String ROOT = "dev.keyline.platform";

    /** Bottom first. Keep in step with the diagram in docs/architecture.md. */
    static final List<String> LAYERS = List.of(
            "base",
            "api",
            "db",
            "cache",
            "problem",
            "observe",
            "credential",
            "idempotency",
            "tenant",
            "egress",
            "reqlog",
            "oauth",
            "connector",
            "authconfig",
            "account",
            "auth",
            "directory",
            "sync",
            "iam",
            "people",
            "session",
            "connectui",
            "webhook",
            "health",
            "ratelimit",
            "monitoring",
            "demo",
            "standalone");

    private static final int MAX_LINES = 400;

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void everyPackageHasAPlaceInTheLayering() {
        Set<String> packages = MAIN.stream()
                .map(JavaClass::getPackageName)
                .filter(name -> name.startsWith(ROOT + "."))
                .map(name -> name.substring(ROOT.length() + 1).split("\\.")[0])
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(packages).containsExactlyInAnyOrderElementsOf(LAYERS);
    }

    @Test
    void noPackageDependsOnALaterOne() {
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            layerRule(i).check(MAIN);
        }
    }

    @Test
    void noPackageCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void noClassSchedulesWorkByHand() {
        timerRule().check(MAIN);
    }

    @Test
    void aHandMadeTimerFails() {
        JavaClasses withTimer = new ClassFileImporter().importClasses(HandMadeTimerFixture.class);
        assertThatThrownBy(() -> timerRule().check(withTimer))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("newSingleThreadScheduledExecutor")
                .hasMessageContaining("scheduleWithFixedDelay");
    }

    // Timers are the Quarkus scheduler's job (@Scheduled, or its Scheduler API for per-run jobs). Handing a task to
    // a framework's pool (Mutiny's worker pool is typed as a ScheduledExecutorService) is not a timer.
    private static ArchRule timerRule() {
        DescribedPredicate<JavaCall<?>> handMadeTimer =
                new DescribedPredicate<>("make or schedule on a ScheduledExecutorService") {
                    @Override
                    public boolean test(JavaCall<?> call) {
                        String owner = call.getTarget().getOwner().getName();
                        String name = call.getTarget().getName();
                        if (owner.equals(Executors.class.getName())) {
                            return name.contains("Scheduled");
                        }
                        if (call.getTarget().getOwner().isAssignableTo(ScheduledThreadPoolExecutor.class)) {
                            return name.equals("<init>") || name.startsWith("schedule");
                        }
                        return call.getTarget().getOwner().isAssignableTo(ScheduledExecutorService.class)
                                && name.startsWith("schedule");
                    }
                };
        return noClasses().should().callCodeUnitWhere(handMadeTimer).as("no class runs a hand-made timer");
    }

    @Test
    void noSourceFileIsOver400Lines() throws IOException {
        Path sources = Path.of("src/main/java");
        try (Stream<Path> files = Files.walk(sources)) {
            List<String> tooLong = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> lineCount(file) > MAX_LINES)
                    .map(file -> sources.relativize(file) + " (" + lineCount(file) + " lines)")
                    .toList();
            assertThat(tooLong).as("split these by responsibility").isEmpty();
        }
    }

    private static long lineCount(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aBackEdgeFails() {
        // A class in base (test sources only) that uses sync: the rule must reject it.
        JavaClasses withBackEdge = new ClassFileImporter().importClasses(BackEdgeFixture.class);
        assertThatThrownBy(() -> layerRule(LAYERS.indexOf("base")).check(withBackEdge))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("dev.keyline.platform.sync");
    }

    private static ArchRule layerRule(int index) {
        String[] later = LAYERS.subList(index + 1, LAYERS.size()).stream()
                .map(name -> ROOT + "." + name + "..")
                .toArray(String[]::new);
        return noClasses()
                .that()
                .resideInAPackage(ROOT + "." + LAYERS.get(index) + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(later)
                .as("package " + LAYERS.get(index) + " depends only on the packages listed before it");
    }
}
