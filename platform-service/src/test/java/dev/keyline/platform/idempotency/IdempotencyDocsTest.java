package dev.keyline.platform.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.junit.jupiter.api.Test;

/** The operations the document says honour Idempotency-Key are exactly those that do. */
class IdempotencyDocsTest {

    @Test
    void theDocumentedOperationsAreTheMarkedOnes() {
        Set<String> marked = new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.keyline.platform")
                        .stream()
                        .flatMap(c -> c.getMethods().stream())
                        .filter(m -> m.isAnnotatedWith(Idempotent.class))
                        .map(IdempotencyDocsTest::operationId)
                        .collect(Collectors.toSet());
        assertThat(marked).isEqualTo(IdempotencyDocs.OPERATIONS);
    }

    private static String operationId(JavaMethod method) {
        return method.getAnnotationOfType(Operation.class).operationId();
    }
}
