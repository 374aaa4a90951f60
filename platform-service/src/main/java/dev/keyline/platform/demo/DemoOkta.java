package dev.keyline.platform.demo;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The conformance kit's Okta double, for the demo's identity provider. The packaged service never carries the kit
 * (deploy's PackagedServiceTest), so the double is found at run time: on the class path where the kit is (the tests),
 * else in the kit's jar the build made ({@code keyline.demo.kit-jar}, which `./keyline demo` sets). Without either the
 * demo has no identity provider. Called by name, as the kit is not this module's compile-time dependency.
 */
final class DemoOkta implements AutoCloseable {
    static final String DOUBLE = "dev.keyline.connector.tck.okta.OktaDouble";

    private final Object okta;

    private DemoOkta(Object okta) {
        this.okta = okta;
    }

    /** A running Okta double on 127.0.0.1:{@code port} accepting {@code apiToken}, or empty without the kit. */
    static Optional<DemoOkta> start(Optional<Path> kitJar, int port, String apiToken) {
        Optional<Class<?>> type = find(kitJar);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        Object builder = call(type.get(), null, "builder");
        builder = call(builder.getClass(), builder, "port", int.class, port);
        builder = call(builder.getClass(), builder, "apiToken", String.class, apiToken);
        return Optional.of(new DemoOkta(call(builder.getClass(), builder, "start")));
    }

    private static Optional<Class<?>> find(Optional<Path> kitJar) {
        try {
            return Optional.of(Class.forName(DOUBLE, true, DemoOkta.class.getClassLoader()));
        } catch (ClassNotFoundException notOnTheClassPath) {
            if (kitJar.isEmpty() || !Files.isRegularFile(kitJar.get())) {
                return Optional.empty();
            }
            try {
                // The service's loader as parent: the double's JSON comes from scim-double, which the service carries.
                URLClassLoader loader =
                        new URLClassLoader(new URL[] {kitJar.get().toUri().toURL()}, DemoOkta.class.getClassLoader());
                return Optional.of(Class.forName(DOUBLE, true, loader));
            } catch (MalformedURLException | ClassNotFoundException e) {
                return Optional.empty();
            }
        }
    }

    String apiToken() {
        return (String) invoke("apiToken");
    }

    String addUser(String login, String email, String firstName, String lastName, String status) {
        return (String) invoke(
                "addUser",
                new Class<?>[] {String.class, String.class, String.class, String.class, String.class},
                login,
                email,
                firstName,
                lastName,
                status);
    }

    void assignAdminRole(String userId, String roleType) {
        invoke("assignAdminRole", new Class<?>[] {String.class, String.class}, userId, roleType);
    }

    void addFactor(String userId, String factorType, String status) {
        invoke("addFactor", new Class<?>[] {String.class, String.class, String.class}, userId, factorType, status);
    }

    void setLastLogin(String userId, Instant lastLogin) {
        invoke("setLastLogin", new Class<?>[] {String.class, Instant.class}, userId, lastLogin);
    }

    void addGroup(String name, String... memberIds) {
        invoke("addGroup", new Class<?>[] {String.class, String[].class}, name, memberIds);
    }

    @Override
    public void close() {
        invoke("close");
    }

    private Object invoke(String method) {
        return invoke(method, new Class<?>[0]);
    }

    private Object invoke(String method, Class<?>[] types, Object... args) {
        try {
            Method m = okta.getClass().getMethod(method, types);
            return m.invoke(okta, args);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("the kit's Okta double has no " + method, e);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private static Object call(Class<?> type, Object target, String method, Class<?> paramType, Object arg) {
        try {
            return type.getMethod(method, paramType).invoke(target, arg);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start the kit's Okta double (" + method + ")", e);
        }
    }

    private static Object call(Class<?> type, Object target, String method) {
        try {
            return type.getMethod(method).invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start the kit's Okta double (" + method + ")", e);
        }
    }
}
