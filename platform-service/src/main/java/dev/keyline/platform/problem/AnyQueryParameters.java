package dev.keyline.platform.problem;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exempts an endpoint from {@link QueryParameters}: for a page whose query another party writes, such as an OAuth
 * redirect target, where providers add parameters of their own (RFC 9207's {@code iss}, OpenID Connect's {@code
 * session_state}, Google's {@code authuser} and {@code hd}) that a strict check would turn into a failed sign-in.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AnyQueryParameters {}
