package dev.keyline.platform.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.ext.Provider;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Services fail in domain terms ({@code base.KeylineException} with a kind); only the HTTP edge knows statuses. The
 * problem package is the HTTP edge's, and {@code base} is what every layer may use, so it uses nothing of theirs.
 */
class ProblemTypesTest {
    private static final String PLATFORM = "dev.keyline.platform..";
    private static final String BASE = "dev.keyline.platform.base..";
    private static final String PROBLEM = "dev.keyline.platform.problem..";

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.keyline.platform");
    }

    @Test
    void baseDependsOnNoOtherPlatformPackage() {
        noClasses()
                .that()
                .resideInAPackage(BASE)
                .should()
                .dependOnClassesThat(resideInAPackage(PLATFORM).and(not(resideInAPackage(BASE))))
                .because("every package may use base, so base may use none of them")
                .check(main);
    }

    @Test
    void onlyTheHttpEdgeUsesTheProblemPackage() {
        noClasses()
                .that(not(resideInAPackage(PROBLEM)).and(not(HTTP_EDGE)))
                .should()
                .dependOnClassesThat()
                .resideInAPackage(PROBLEM)
                .because("services throw base.KeylineException; the problem mapper alone turns it into HTTP")
                .check(main);
    }

    @Test
    void noFailureOutsideTheProblemPackageCarriesAnHttpStatus() {
        noClasses()
                .should()
                .haveSimpleName("ApiProblem")
                .because("the problem mapper decides the status from KeylineException.Kind")
                .check(main);
        classes()
                .that()
                .resideOutsideOfPackage(PROBLEM)
                .and()
                .areAssignableTo(Throwable.class)
                .should(carryNoHttpStatus())
                .because("the problem mapper decides the status from KeylineException.Kind")
                .check(main);
        noClasses()
                .that()
                .resideOutsideOfPackage(PROBLEM)
                .should()
                .callConstructorWhere(target(assignableTo(WebApplicationException.class)))
                .because("a WebApplicationException names a status; throw KeylineException instead")
                .check(main);
    }

    /**
     * Resources and HTTP filters and providers: they sit at the HTTP edge beside the problem mapper, so they may use
     * the problem package's HTTP helpers.
     */
    private static final DescribedPredicate<JavaClass> HTTP_EDGE = simpleNameEndingWith("Resource")
            .or(annotatedWith(Path.class))
            .or(annotatedWith(Provider.class))
            .or(hasMethodAnnotatedWith(ServerRequestFilter.class))
            .or(hasMethodAnnotatedWith(ServerResponseFilter.class))
            .or(observesRouter())
            .as("a resource or an HTTP filter");

    private static DescribedPredicate<JavaClass> annotatedWith(Class<? extends java.lang.annotation.Annotation> type) {
        return DescribedPredicate.describe("annotated with @" + type.getSimpleName(), c -> c.isAnnotatedWith(type));
    }

    private static DescribedPredicate<JavaClass> hasMethodAnnotatedWith(
            Class<? extends java.lang.annotation.Annotation> type) {
        return DescribedPredicate.describe(
                "with a method annotated @" + type.getSimpleName(),
                c -> c.getMethods().stream().anyMatch(m -> m.isAnnotatedWith(type)));
    }

    /** Route filters: Vert.x routes installed by observing the Router or Quarkus' Filters at start-up. */
    private static DescribedPredicate<JavaClass> observesRouter() {
        Set<String> routeTypes = Set.of("io.vertx.ext.web.Router", "io.quarkus.vertx.http.runtime.filters.Filters");
        return DescribedPredicate.describe(
                "a route filter",
                c -> c.getMethods().stream()
                        .flatMap(m -> m.getParameters().stream())
                        .anyMatch(p -> p.isAnnotatedWith(Observes.class)
                                && routeTypes.contains(p.getRawType().getName())));
    }

    private static DescribedPredicate<com.tngtech.archunit.core.domain.JavaConstructorCall> target(
            DescribedPredicate<JavaClass> owner) {
        return DescribedPredicate.describe(
                "a constructor of " + owner.getDescription(), call -> owner.test(call.getTargetOwner()));
    }

    /** An exception with a status of its own: a {@code status} member, as the removed ApiProblem had. */
    private static ArchCondition<JavaClass> carryNoHttpStatus() {
        return new ArchCondition<>("carry no HTTP status") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                boolean field = type.getFields().stream()
                        .anyMatch(f ->
                                f.getName().toLowerCase(java.util.Locale.ROOT).contains("status")
                                        && f.getRawType().isEquivalentTo(int.class));
                boolean method = type.getMethods().stream()
                        .anyMatch(m ->
                                m.getName().toLowerCase(java.util.Locale.ROOT).contains("status")
                                        && m.getRawReturnType().isEquivalentTo(int.class));
                if (field || method) {
                    events.add(SimpleConditionEvent.violated(
                            type, type.getName() + " carries an int status; give it a KeylineException.Kind"));
                }
            }
        };
    }
}
