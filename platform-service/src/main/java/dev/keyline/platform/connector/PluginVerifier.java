package dev.keyline.platform.connector;

import dev.keyline.connector.spi.SpiVersion;
import dev.keyline.platform.connector.ClassFileRefs.MemberRef;
import dev.keyline.platform.connector.Refusal.Code;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodType;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Checks a plugin jar against the running connector API before any of its code runs: every class it names
 * resolves (inside the jar or through its class loader, which sees only the JDK and the API), every field and method
 * it uses on the API exists with that exact signature, and every concrete class implements all abstract methods of
 * the API interfaces it implements. A plugin built against another SPI is thereby refused by name at start-up instead
 * of failing with {@link NoSuchMethodError}, {@link NoClassDefFoundError} or {@link AbstractMethodError} in a request.
 * Classes are loaded to check them but never initialized, and only those that can reach the API.
 */
final class PluginVerifier {
    private final ClassLoader loader;
    private final Map<String, Boolean> resolvable = new java.util.HashMap<>();

    private PluginVerifier(ClassLoader loader) {
        this.loader = loader;
    }

    /** The first problem found in the jar's classes, or empty when they all link against this API. */
    static Optional<Refusal> verify(JarFile jar, ClassLoader loader) throws IOException {
        return new PluginVerifier(loader).check(classes(jar));
    }

    private Optional<Refusal> check(Map<String, ClassFileRefs> own) {
        for (ClassFileRefs refs : own.values()) {
            for (String name : refs.classes()) {
                if (!own.containsKey(name) && !resolves(name)) {
                    return Optional.of(missingClass(refs.name(), name));
                }
            }
        }
        for (ClassFileRefs refs : own.values()) {
            for (MemberRef member : refs.members()) {
                if (isApi(member.owner()) && !own.containsKey(member.owner()) && !exists(member)) {
                    return Optional.of(new Refusal(
                            Code.SPI_METHOD_MISSING,
                            refs.name() + " uses " + describe(member) + ", which SPI " + SpiVersion.CURRENT
                                    + " does not have: rebuild the plugin against this Keyline's connector API."));
                }
            }
        }
        for (String name : mayInheritApi(own)) {
            Optional<Refusal> unimplemented = unimplemented(name);
            if (unimplemented.isPresent()) {
                return unimplemented;
            }
        }
        return Optional.empty();
    }

    /**
     * The jar's classes that may implement an API interface, the only ones that can miss one of its methods: those
     * naming an API class, and those naming such a class (a class names its superclass and interfaces). Loading only
     * these keeps a shaded library (most of a plugin's classes, none of which knows the API) out of start-up.
     */
    private static Set<String> mayInheritApi(Map<String, ClassFileRefs> own) {
        Set<String> found = new LinkedHashSet<>();
        for (ClassFileRefs refs : own.values()) {
            if (refs.classes().stream().anyMatch(PluginVerifier::isApi)) {
                found.add(refs.name());
            }
        }
        boolean grew = !found.isEmpty();
        while (grew) {
            grew = false;
            for (ClassFileRefs refs : own.values()) {
                if (!found.contains(refs.name()) && refs.classes().stream().anyMatch(found::contains)) {
                    grew |= found.add(refs.name());
                }
            }
        }
        return found;
    }

    /** The connector API's packages, which the host lends every plugin. */
    private static boolean isApi(String name) {
        return ConnectorLoader.SpiOnlyClassLoader.SHARED.stream().anyMatch(name::startsWith);
    }

    private static Refusal missingClass(String user, String name) {
        if (isApi(name)) {
            return new Refusal(
                    Code.CLASS_MISSING,
                    user + " needs class " + name + ", which the connector API of SPI " + SpiVersion.CURRENT
                            + " does not have: rebuild the plugin against this Keyline's connector API.");
        }
        return new Refusal(
                Code.CLASS_MISSING,
                user + " needs class " + name + ", which is neither in the jar nor in the connector API: shade it"
                        + " into the plugin.");
    }

    private boolean resolves(String name) {
        return resolvable.computeIfAbsent(name, n -> {
            try {
                Class.forName(n, false, loader);
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        });
    }

    private boolean exists(MemberRef member) {
        Class<?> owner;
        try {
            owner = Class.forName(member.owner(), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
        if (member.name().equals("<init>")) {
            return Arrays.stream(owner.getDeclaredConstructors())
                    .anyMatch(c -> MethodType.methodType(void.class, c.getParameterTypes())
                            .toMethodDescriptorString()
                            .equals(member.descriptor()));
        }
        for (Class<?> type : hierarchy(owner)) {
            boolean found = member.field()
                    ? Arrays.stream(type.getDeclaredFields())
                            .anyMatch(f -> f.getName().equals(member.name())
                                    && f.getType().descriptorString().equals(member.descriptor()))
                    : Arrays.stream(type.getDeclaredMethods())
                            .anyMatch(m -> m.getName().equals(member.name())
                                    && MethodType.methodType(m.getReturnType(), m.getParameterTypes())
                                            .toMethodDescriptorString()
                                            .equals(member.descriptor()));
            if (found) {
                return true;
            }
        }
        return false;
    }

    /** The type, its superclasses and all its superinterfaces, then {@link Object} (which interfaces inherit from). */
    private static List<Class<?>> hierarchy(Class<?> type) {
        List<Class<?>> all = new ArrayList<>();
        Set<Class<?>> seen = new HashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(type));
        while (!todo.isEmpty()) {
            Class<?> next = todo.poll();
            if (next == null || !seen.add(next)) {
                continue;
            }
            all.add(next);
            if (next.getSuperclass() != null) {
                todo.add(next.getSuperclass());
            }
            todo.addAll(List.of(next.getInterfaces()));
        }
        if (seen.add(Object.class)) {
            all.add(Object.class);
        }
        return all;
    }

    private Optional<Refusal> unimplemented(String name) {
        Class<?> type;
        try {
            type = Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.of(new Refusal(
                    Code.CLASS_MISSING, "The class " + name + " cannot be loaded: " + e.getMessage() + "."));
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            return Optional.empty();
        }
        // getMethods() leaves out an interface's method once a class implements it, so what is still abstract here
        // would be an AbstractMethodError when called.
        return Arrays.stream(type.getMethods())
                .filter(m -> Modifier.isAbstract(m.getModifiers()))
                .filter(m -> isApi(m.getDeclaringClass().getName()))
                .findFirst()
                .map(m -> new Refusal(
                        Code.ABSTRACT_METHOD,
                        name + " does not implement " + m.getDeclaringClass().getSimpleName() + "." + m.getName()
                                + "("
                                + String.join(
                                        ", ",
                                        Arrays.stream(m.getParameterTypes())
                                                .map(Class::getSimpleName)
                                                .toList())
                                + "), which SPI " + SpiVersion.CURRENT
                                + " requires: rebuild the plugin against this Keyline's connector API."));
    }

    /** {@code ConnectorContext.tenantId()} or {@code ConnectorDescriptor.<init>(String, List)}, for the sentence. */
    static String describe(MemberRef member) {
        String owner = member.owner().substring(member.owner().lastIndexOf('.') + 1);
        if (member.field()) {
            return "the field " + owner + "." + member.name();
        }
        String desc = member.descriptor();
        List<String> params = new ArrayList<>();
        int i = 1;
        while (desc.charAt(i) != ')') {
            int start = i;
            while (desc.charAt(i) == '[') {
                i++;
            }
            int end = desc.charAt(i) == 'L' ? desc.indexOf(';', i) + 1 : i + 1;
            params.add(simpleName(desc.substring(start, end)));
            i = end;
        }
        return owner + "." + member.name() + "(" + String.join(", ", params) + ")";
    }

    private static String simpleName(String descriptor) {
        if (descriptor.startsWith("[")) {
            return simpleName(descriptor.substring(1)) + "[]";
        }
        return switch (descriptor.charAt(0)) {
            case 'L' -> descriptor.substring(descriptor.lastIndexOf('/') + 1, descriptor.length() - 1);
            case 'Z' -> "boolean";
            case 'B' -> "byte";
            case 'C' -> "char";
            case 'S' -> "short";
            case 'I' -> "int";
            case 'J' -> "long";
            case 'F' -> "float";
            case 'D' -> "double";
            default -> descriptor;
        };
    }

    /** The jar's own classes by name; versioned ({@code META-INF/versions}) and module descriptors are left out. */
    private static Map<String, ClassFileRefs> classes(JarFile jar) throws IOException {
        Map<String, ClassFileRefs> classes = new LinkedHashMap<>();
        try (Stream<JarEntry> entries = jar.stream()) {
            for (JarEntry entry : entries.filter(PluginVerifier::isClass).toList()) {
                try (InputStream in = jar.getInputStream(entry)) {
                    ClassFileRefs refs = ClassFileRefs.read(in.readAllBytes());
                    classes.put(refs.name(), refs);
                }
            }
        }
        return classes;
    }

    private static boolean isClass(JarEntry entry) {
        String name = entry.getName();
        return name.endsWith(".class")
                && !entry.isDirectory()
                && !name.startsWith("META-INF/")
                && !name.endsWith("module-info.class");
    }
}
