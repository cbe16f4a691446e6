package io.oqto.usermgr;

/** The only programs the helper runs, by absolute path (never looked up in a PATH). */
final class Bin {
    static final String USERADD = "/usr/sbin/useradd";
    static final String USERDEL = "/usr/sbin/userdel";
    static final String GROUPADD = "/usr/sbin/groupadd";
    static final String GETENT = "/usr/bin/getent";
    static final String SETFACL = "/usr/bin/setfacl";
    static final String PKILL = "/usr/bin/pkill";
    static final String PGREP = "/usr/bin/pgrep";
    static final String SETPRIV = "/usr/bin/setpriv";
    static final String LOGINCTL = "/usr/bin/loginctl";
    static final String SYSTEMCTL = "/usr/bin/systemctl";

    private Bin() {}
}
