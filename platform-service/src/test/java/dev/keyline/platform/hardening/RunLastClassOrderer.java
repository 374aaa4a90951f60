package dev.keyline.platform.hardening;

import java.util.Arrays;
import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * The secondary order under Quarkus's own class orderer ({@code quarkus.test.class-orderer}): by class name,
 * with the classes marked {@link RunLast} at the end. Quarkus groups classes by test profile and orders the
 * groups by their first member, so a {@link RunLast} class with a profile of its own runs after every other
 * Quarkus test.
 */
public class RunLastClassOrderer implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors()
                .sort(Comparator.comparing(RunLastClassOrderer::runsLast)
                        .thenComparing(d -> d.getTestClass().getName()));
    }

    private static boolean runsLast(ClassDescriptor descriptor) {
        // By name: Quarkus may load the test class in its own class loader, with its own copy of the annotation.
        return Arrays.stream(descriptor.getTestClass().getAnnotations())
                .anyMatch(a -> a.annotationType().getName().equals(RunLast.class.getName()));
    }
}
