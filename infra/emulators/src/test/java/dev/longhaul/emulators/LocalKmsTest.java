package dev.longhaul.emulators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/** The local KMS through the SDK's own {@link KmsClient}: the protocol, the errors, and what KMS guarantees. */
class LocalKmsTest {
    private static final Map<String, String> CONTEXT = Map.of("longhaul-table", "tasks");
    private static KmsClient kms;

    @BeforeAll
    static void client() {
        kms = new EmulatorClients(Emulators.shared()).kms();
    }

    private static KeyMetadata newKey() {
        return kms.createKey(b -> b.description("test key")).keyMetadata();
    }

    @Test
    void aKeyIsFoundByItsIdArnAliasAndAliasArn() {
        KeyMetadata key = newKey();
        String alias = "alias/test/" + key.keyId();
        kms.createAlias(b -> b.aliasName(alias).targetKeyId(key.arn()));
        for (String reference : new String[] {key.keyId(), key.arn(), alias,
            "arn:aws:kms:us-east-1:000000000000:" + alias}) {
            assertEquals(key.arn(), kms.describeKey(b -> b.keyId(reference)).keyMetadata().arn(), reference);
        }
        assertEquals("test key", key.description());
        assertEquals("ENCRYPT_DECRYPT", key.keyUsageAsString());
        assertThrows(AlreadyExistsException.class, () -> kms.createAlias(b -> b.aliasName(alias).targetKeyId(key.keyId())));
        assertThrows(NotFoundException.class, () -> kms.describeKey(b -> b.keyId("alias/none")));
        assertThrows(NotFoundException.class, () -> kms.describeKey(b -> b.keyId("1234abcd-12ab-34cd-56ef-1234567890ab")));
    }

    @Test
    void aDataKeyDecryptsOnlyWithItsEncryptionContextAndUnaltered() {
        KeyMetadata key = newKey();
        GenerateDataKeyResponse generated = kms.generateDataKey(b -> b.keyId(key.arn()).keySpec(DataKeySpec.AES_256)
                .encryptionContext(CONTEXT));
        assertEquals(32, generated.plaintext().asByteArray().length);
        assertEquals(key.arn(), generated.keyId());
        byte[] blob = generated.ciphertextBlob().asByteArray();
        assertFalse(new String(blob, StandardCharsets.ISO_8859_1).contains(
                new String(generated.plaintext().asByteArray(), StandardCharsets.ISO_8859_1)));

        // the key is found in the ciphertext; naming it is optional, as on KMS
        DecryptResponse decrypted = kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(blob)).encryptionContext(CONTEXT));
        assertArrayEquals(generated.plaintext().asByteArray(), decrypted.plaintext().asByteArray());
        assertEquals(key.arn(), decrypted.keyId());
        assertArrayEquals(generated.plaintext().asByteArray(), kms.decrypt(b -> b.keyId(key.arn())
                .ciphertextBlob(SdkBytes.fromByteArray(blob)).encryptionContext(CONTEXT)).plaintext().asByteArray());

        assertThrows(InvalidCiphertextException.class, () -> kms.decrypt(b -> b
                .ciphertextBlob(SdkBytes.fromByteArray(blob)).encryptionContext(Map.of("longhaul-table", "other"))));
        assertThrows(InvalidCiphertextException.class, () -> kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(blob))));
        byte[] altered = blob.clone();
        altered[altered.length - 1] ^= 1;
        assertThrows(InvalidCiphertextException.class, () -> kms.decrypt(b -> b
                .ciphertextBlob(SdkBytes.fromByteArray(altered)).encryptionContext(CONTEXT)));
        KeyMetadata other = newKey();
        assertThrows(IncorrectKeyException.class, () -> kms.decrypt(b -> b.keyId(other.arn())
                .ciphertextBlob(SdkBytes.fromByteArray(blob)).encryptionContext(CONTEXT)));
        assertThrows(InvalidCiphertextException.class, () -> kms.decrypt(b -> b
                .ciphertextBlob(SdkBytes.fromByteArray(new byte[] {1, 2, 3})).encryptionContext(CONTEXT)));
    }

    @Test
    void whatARotatedKeyEncryptedBeforeStillDecrypts() {
        KeyMetadata key = newKey();
        kms.enableKeyRotation(b -> b.keyId(key.keyId()));
        SdkBytes before = kms.encrypt(b -> b.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String("before"))
                .encryptionContext(CONTEXT)).ciphertextBlob();
        kms.rotateKeyOnDemand(b -> b.keyId(key.keyId()));
        SdkBytes after = kms.encrypt(b -> b.keyId(key.keyId()).plaintext(SdkBytes.fromUtf8String("after"))
                .encryptionContext(CONTEXT)).ciphertextBlob();

        assertEquals("before", kms.decrypt(b -> b.ciphertextBlob(before).encryptionContext(CONTEXT)).plaintext().asUtf8String());
        assertEquals("after", kms.decrypt(b -> b.ciphertextBlob(after).encryptionContext(CONTEXT)).plaintext().asUtf8String());
    }
}
