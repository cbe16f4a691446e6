package io.oqto.api.eavs;

/**
 * A virtual key just created. {@code toString} leaves the secret out, so the key cannot reach a log by
 * accident.
 *
 * @param keyId eavs's human id, such as {@code cold-lamp}
 * @param keyHash SHA-256 of the secret, hex: what eavs stores
 * @param secret {@code eavs-} and 32 base62 characters
 */
public record IssuedKey(String keyId, String keyHash, String secret) {
    @Override
    public String toString() {
        return "IssuedKey[keyId=" + keyId + ", keyHash=" + keyHash + "]";
    }
}
