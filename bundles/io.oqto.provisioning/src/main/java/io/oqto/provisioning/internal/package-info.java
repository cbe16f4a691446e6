/** User provisioning in the control plane: talks to the root helper, records platform users. Exports nothing. */
package io.oqto.provisioning.internal;
