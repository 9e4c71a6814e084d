package dev.longhaul.aws.kms;

import java.util.Objects;

/**
 * A secret as it is stored: encrypted with a data key (AES-256-GCM), next to that data key as
 * KMS encrypted it and the ARN of the KMS key that did, so it can be opened after the key rotates
 * or is replaced, as long as that key is kept.
 *
 * @param keyArn  the KMS key that encrypted {@code dataKey}
 * @param dataKey the data key, encrypted by KMS (its {@code CiphertextBlob})
 * @param iv      the 12-byte nonce of this secret's encryption
 * @param sealed  the secret encrypted under the data key, with the GCM tag
 */
public record SealedSecret(String keyArn, byte[] dataKey, byte[] iv, byte[] sealed) {
    public SealedSecret {
        Objects.requireNonNull(keyArn, "keyArn");
        Objects.requireNonNull(dataKey, "dataKey");
        Objects.requireNonNull(iv, "iv");
        Objects.requireNonNull(sealed, "sealed");
    }
}
