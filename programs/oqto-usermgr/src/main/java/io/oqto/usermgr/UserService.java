package io.oqto.usermgr;

import java.util.Map;

/** One of a user's services as the supervising helper runs it: always ({@link SupervisedService}) or on demand. */
interface UserService {

    /** Its state for {@code service-status}: {@code state}, {@code pid}, … */
    Map<String, Object> status();

    /** Ends it; returns once it has ended. */
    void stop();
}
