package io.oqto.eavs.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The {@code [eavs]} section of config.toml. */
@ObjectClassDefinition(name = "Oqto eavs connector", description = "The [eavs] section of config.toml")
@interface EavsConfig {

    @AttributeDefinition(description = "central: one eavs for the host; per-user: each user's own eavs")
    String mode() default "central";

    @AttributeDefinition(
            description = "eavs's base URL, such as http://127.0.0.1:3033 (per-user: with {port}); empty: no eavs")
    String baseUrl() default "";

    @AttributeDefinition(description = "Per-user: a user's eavs listens on this plus (uid - [usermgr] uid_min)")
    long userPortBase() default 41000;

    @AttributeDefinition(description = "eavs's admin (master) key by reference: file:/PATH or env:NAME")
    String masterKey() default "";

    @AttributeDefinition(description = "Budget of each user's key, in US dollars per window")
    double budgetUsd() default 50.0;

    @AttributeDefinition(description = "The window the budget applies to: total, daily, weekly or monthly")
    String budgetWindow() default "monthly";

    @AttributeDefinition(description = "Requests per minute of each user's key")
    long rpmLimit() default 60;

    @AttributeDefinition(description = "How long eavs may take to answer, in milliseconds")
    long requestTimeoutMs() default 5000;
}
