/** User provisioning in the control plane: talks to the root helper, records platform users. Exports nothing. */
@NullMarked
package io.oqto.provisioning.internal;

import org.jspecify.annotations.NullMarked;
