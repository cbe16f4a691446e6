package io.oqto.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The keys of {@code [auth]} the REST API uses: how many failed sign-ins it allows. */
@ObjectClassDefinition(name = "Oqto REST API", description = "[auth] login_attempts, login_attempts_per_address")
@interface RestConfig {

    @AttributeDefinition(description = "Failed sign-ins per user in 15 minutes before a pause")
    long loginAttempts() default 5;

    @AttributeDefinition(description = "Failed sign-ins per client address in 15 minutes before a pause")
    long loginAttemptsPerAddress() default 50;
}
