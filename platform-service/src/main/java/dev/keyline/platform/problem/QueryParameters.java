package dev.keyline.platform.problem;

import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a query parameter the matched endpoint does not declare: {@code 400 unknown_parameter}, naming it, with a
 * "did you mean" when a declared one is close. JAX-RS ignores such parameters, so a misspelled filter
 * ({@code ?emial=x}) would return the whole directory and a wrong paging name the first page forever. The declared
 * names are read once per resource method from its {@code @QueryParam}s, including those inside
 * {@code @BeanParam}s and on the resource class, so every endpoint is covered without per-resource code.
 *
 * <p>It runs after authentication and authorization (a caller without credentials learns nothing about
 * parameters), as a post-matching filter.
 */
public class QueryParameters {
    /** Edits at most this far apart count as a likely misspelling. */
    private static final int SUGGESTION_DISTANCE = 2;

    private final ConcurrentMap<Method, Set<String>> declared = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public void refuseUnknown(ContainerRequestContext request, ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null || method.isAnnotationPresent(AnyQueryParameters.class)) {
            return;
        }
        Set<String> sent = request.getUriInfo().getQueryParameters().keySet();
        if (sent.isEmpty()) {
            return;
        }
        Set<String> known = declared.computeIfAbsent(method, m -> declaredNames(resource.getResourceClass(), m));
        for (String name : new TreeSet<>(sent)) {
            if (!known.contains(name)) {
                throw unknown(name, known);
            }
        }
    }

    static KeylineException unknown(String name, Set<String> known) {
        String shown = SecretShapes.redact(shorten(name));
        StringBuilder detail = new StringBuilder("This endpoint has no query parameter `")
                .append(shown)
                .append("`");
        suggestion(name, known)
                .ifPresent(s -> detail.append("; did you mean `").append(s).append("`?"));
        if (known.isEmpty()) {
            detail.append("; it takes none.");
        } else {
            detail.append(". It takes: ")
                    .append(String.join(", ", new TreeSet<>(known)))
                    .append('.');
        }
        return KeylineException.invalid(FailureCode.UNKNOWN_PARAMETER, detail.toString())
                .field(shown);
    }

    /** The closest declared name, when it is a likely misspelling. */
    static Optional<String> suggestion(String name, Set<String> known) {
        if (name.equals("next") && known.contains("cursor")) {
            // The page envelope's field is `next`; clients pass it back under that name by mistake.
            return Optional.of("cursor");
        }
        return known.stream()
                .filter(k -> distance(name, k) <= SUGGESTION_DISTANCE)
                .min(Comparator.comparingInt((String k) -> distance(name, k)).thenComparing(k -> k));
    }

    static Set<String> declaredNames(Class<?> resourceClass, Method method) {
        Set<String> names = new TreeSet<>();
        for (Parameter parameter : method.getParameters()) {
            collect(parameter, parameter.getType(), names);
        }
        // Annotations may sit on an interface the resource implements.
        for (Class<?> type : resourceClass.getInterfaces()) {
            try {
                Method declaredThere = type.getMethod(method.getName(), method.getParameterTypes());
                for (Parameter parameter : declaredThere.getParameters()) {
                    collect(parameter, parameter.getType(), names);
                }
            } catch (NoSuchMethodException e) {
                // Not declared on this interface.
            }
        }
        for (Class<?> c = resourceClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                collect(field, field.getType(), names);
            }
        }
        return Set.copyOf(names);
    }

    private static void collect(AnnotatedElement element, Class<?> type, Set<String> names) {
        QueryParam query = element.getAnnotation(QueryParam.class);
        if (query != null) {
            names.add(query.value());
        }
        if (element.isAnnotationPresent(BeanParam.class)) {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    collect(field, field.getType(), names);
                }
                for (Method setter : c.getDeclaredMethods()) {
                    collect(setter, setter.getReturnType(), names);
                }
            }
        }
    }

    /** Levenshtein distance; names are short, so the quadratic table is fine. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** The client's own parameter name is echoed, but never kilobytes of it. */
    private static String shorten(String name) {
        return name.length() <= 64 ? name : name.substring(0, 64) + "…";
    }
}
