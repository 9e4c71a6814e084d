package dev.longhaul.aws.dynamodb;

import dev.longhaul.aws.kms.SealedSecret;
import dev.longhaul.aws.kms.SecretUnreadableException;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A {@link SealedSecret} as a map attribute: {@code keyArn}, {@code dataKey}, {@code iv}, {@code sealed}. */
public final class SealedSecretAttribute {
    private SealedSecretAttribute() {
    }

    public static AttributeValue of(SealedSecret secret) {
        return AttributeValue.fromM(Map.of(
                "keyArn", AttributeValue.fromS(secret.keyArn()),
                "dataKey", AttributeValue.fromB(SdkBytes.fromByteArray(secret.dataKey())),
                "iv", AttributeValue.fromB(SdkBytes.fromByteArray(secret.iv())),
                "sealed", AttributeValue.fromB(SdkBytes.fromByteArray(secret.sealed()))));
    }

    /** @throws SecretUnreadableException when the attribute is missing or not a sealed secret */
    public static SealedSecret from(AttributeValue value) {
        Map<String, AttributeValue> fields = value == null || !value.hasM() ? Map.of() : value.m();
        AttributeValue keyArn = fields.get("keyArn");
        AttributeValue dataKey = fields.get("dataKey");
        AttributeValue iv = fields.get("iv");
        AttributeValue sealed = fields.get("sealed");
        if (keyArn == null || keyArn.s() == null || dataKey == null || dataKey.b() == null || iv == null
                || iv.b() == null || sealed == null || sealed.b() == null) {
            throw new SecretUnreadableException("a stored secret is missing or incomplete");
        }
        return new SealedSecret(keyArn.s(), dataKey.b().asByteArray(), iv.b().asByteArray(), sealed.b().asByteArray());
    }
}
