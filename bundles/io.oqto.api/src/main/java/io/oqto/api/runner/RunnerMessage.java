package io.oqto.api.runner;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The runner-protocol message a record stands for. Its components are the message's fields: a component
 * {@code exitCode} is the wire field {@code exit_code}, and a null component is a field left out (so the
 * runner's default applies). The control plane's wire codec is the only code that reads this.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RunnerMessage {

    /** The message's {@code type} on the wire; a reply record may stand for several (the first is its own). */
    String[] value();

    /** For a subscribing request: the events its subscription delivers. */
    Class<? extends RunnerEvent>[] events() default {};
}
