package io.oqto.api.unix;

import org.osgi.framework.BundleContext;

/**
 * How Oqto is deployed, from the framework property {@code oqto.mode} (the launchers set it from
 * {@code OQTO_MODE}): one user on a personal machine, or many platform users, each a Linux account.
 */
public enum DeploymentMode {
    /** The default: the only platform user is the Linux user running Oqto. */
    SINGLE_USER,
    /** Platform users are Linux accounts provisioned through the root helper. */
    MULTI_USER;

    /** The framework property that names the mode. */
    public static final String PROPERTY = "oqto.mode";

    /** The mode a property value names: {@code multi-user}, anything else (or nothing) is single-user. */
    public static DeploymentMode of(String property) {
        return "multi-user".equals(property) ? MULTI_USER : SINGLE_USER;
    }

    /** The mode the framework runs in. */
    public static DeploymentMode of(BundleContext context) {
        return of(context.getProperty(PROPERTY));
    }

    public boolean isMultiUser() {
        return this == MULTI_USER;
    }
}
