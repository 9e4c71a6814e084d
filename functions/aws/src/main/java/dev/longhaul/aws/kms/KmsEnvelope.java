package dev.longhaul.aws.kms;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;

/**
 * Envelope encryption with KMS for the secrets the tasks table keeps. Each secret is encrypted
 * with AES-256-GCM under a data key, and stored with that data key as KMS encrypted it
 * ({@link SealedSecret}); the secret's own associated data (where it is stored) means a sealed
 * secret copied to another item does not open.
 *
 * <p>KMS is called rarely: an instance seals with one data key it asks KMS for once
 * ({@code GenerateDataKey}), and keeps the data keys it decrypted ({@code Decrypt}) in a bounded
 * cache, so the cost is one KMS call per cold start and per data key met, not one per request.
 * Every call carries the encryption context {@code longhaul-table=<table>}, which the IAM grants
 * require.
 */
public final class KmsEnvelope {
    /** The encryption context's one key; its value is the table's name. */
    public static final String CONTEXT_KEY = "longhaul-table";
    /** Data keys kept decrypted per instance: one per sealing instance met, a few in practice. */
    static final int MAX_CACHED_KEYS = 64;
    /** Secrets one data key seals, far below what random 96-bit GCM nonces allow (2^32). */
    static final long MAX_SEALS_PER_KEY = 1L << 20;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private final Supplier<KmsClient> kms;
    private final String keyId;
    private final Map<String, String> context;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, byte[]> opened = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > MAX_CACHED_KEYS;
        }
    };
    private DataKey sealing;

    /** The data key this instance seals with, and how many secrets it sealed. */
    private static final class DataKey {
        final String keyArn;
        final byte[] plaintext;
        final byte[] encrypted;
        long seals;

        DataKey(String keyArn, byte[] plaintext, byte[] encrypted) {
            this.keyArn = keyArn;
            this.plaintext = plaintext;
            this.encrypted = encrypted;
        }
    }

    /**
     * @param kms   built on first use, so a function that never seals nor opens builds no client
     * @param keyId the KMS key new secrets are sealed under (its ARN); null for an instance that
     *              only opens (each sealed secret names its own key)
     * @param table the tasks table's name: the encryption context
     */
    public KmsEnvelope(Supplier<KmsClient> kms, String keyId, String table) {
        this.kms = Objects.requireNonNull(kms, "kms");
        this.keyId = keyId;
        this.context = Map.of(CONTEXT_KEY, Objects.requireNonNull(table, "table"));
    }

    /** Encrypts {@code secret}, bound to {@code where} (the item and attribute that will hold it). */
    public SealedSecret seal(byte[] secret, String where) {
        DataKey key = dataKey();
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, key.plaintext, iv, where).doFinal(secret);
            return new SealedSecret(key.keyArn, key.encrypted, iv, sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Decrypts a secret sealed for {@code where}.
     *
     * @throws SecretUnreadableException when it was altered, or sealed for another place
     */
    public byte[] open(SealedSecret secret, String where) {
        byte[] dataKey = dataKey(secret);
        try {
            return cipher(Cipher.DECRYPT_MODE, dataKey, secret.iv(), where).doFinal(secret.sealed());
        } catch (AEADBadTagException e) {
            throw new SecretUnreadableException("a stored secret does not open where it is: altered or moved");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private synchronized DataKey dataKey() {
        if (keyId == null) {
            throw new IllegalStateException("this function opens secrets only: it has no KMS key to seal with");
        }
        if (sealing == null || sealing.seals >= MAX_SEALS_PER_KEY) {
            GenerateDataKeyResponse generated = kms.get().generateDataKey(generate -> generate
                    .keyId(keyId).keySpec(DataKeySpec.AES_256).encryptionContext(context));
            sealing = new DataKey(generated.keyId(), generated.plaintext().asByteArray(),
                    generated.ciphertextBlob().asByteArray());
            // this instance opens what it sealed without asking KMS
            opened.put(BASE64.encodeToString(sealing.encrypted), sealing.plaintext);
        }
        sealing.seals++;
        return sealing;
    }

    private byte[] dataKey(SealedSecret secret) {
        String cacheKey = BASE64.encodeToString(secret.dataKey());
        synchronized (this) {
            byte[] known = opened.get(cacheKey);
            if (known != null) {
                return known;
            }
        }
        // outside the lock: a KMS call may take a while, and a duplicate call is harmless
        DecryptResponse decrypted = kms.get().decrypt(decrypt -> decrypt
                .keyId(secret.keyArn())
                .ciphertextBlob(SdkBytes.fromByteArray(secret.dataKey()))
                .encryptionContext(context));
        byte[] plaintext = decrypted.plaintext().asByteArray();
        synchronized (this) {
            opened.put(cacheKey, plaintext);
        }
        return plaintext;
    }

    private static Cipher cipher(int mode, byte[] key, byte[] iv, String where) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(where.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /** How many data keys this instance holds decrypted (for tests and the cost figures). */
    public synchronized int cachedDataKeys() {
        return opened.size();
    }
}
