package io.oqto.rest.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A route that is not a GET but changes nothing (the runner ping: a POST so that no cache or prefetch sends it). The
 * audit log records changes only, so it leaves these out: a line per ping was most of a ping's cost under load.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface ChangesNothing {}
