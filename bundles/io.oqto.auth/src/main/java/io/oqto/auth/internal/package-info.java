/** Bearer API tokens: hashed storage in the state directory and the single-user first admin token. */
package io.oqto.auth.internal;
