package dev.suite.commons.patch;

import jakarta.ws.rs.NameBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a resource method that answers one resource: its response carries the representation's
 * {@code ETag}, and a GET whose {@code If-None-Match} names it answers 304 (see {@link EntityTagFilter}).
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface ETagged {
}
