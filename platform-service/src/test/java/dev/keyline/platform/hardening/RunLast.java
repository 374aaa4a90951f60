package dev.keyline.platform.hardening;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class that {@link RunLastClassOrderer} runs after every other one (the end-of-run scans). Give it a test
 * profile of its own, or Quarkus runs it with the other classes of its profile.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RunLast {}
