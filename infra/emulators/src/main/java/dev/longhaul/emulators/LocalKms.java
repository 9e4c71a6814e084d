package dev.longhaul.emulators;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local stand-in for AWS KMS: the few operations Longhaul uses, over KMS's own protocol (JSON
 * 1.1, {@code X-Amz-Target: TrentService.<Operation>}), so the SDK's {@code KmsClient} is what
 * the code and the tests use, here as on AWS. No Java emulator of KMS runs in the JVM, and
 * moto's needs a Python process. Keys live in memory, like the other emulators' data.
 *
 * <p>Served: {@code CreateKey}, {@code DescribeKey}, {@code CreateAlias}, {@code EnableKeyRotation},
 * {@code RotateKeyOnDemand}, {@code GenerateDataKey}, {@code Encrypt} and {@code Decrypt}, with key
 * ids, key ARNs, alias names and alias ARNs wherever KMS takes them. As on KMS, a ciphertext is
 * bound to its key and its encryption context (AES-256-GCM with the context as associated data),
 * {@code Decrypt} finds the key in the ciphertext, and a rotated key still decrypts what its
 * earlier material encrypted. Not faithful: no key policies, grants or IAM (any signed request is
 * served, as DynamoDB Local does), no deletion or disabling, ciphertexts of another shape than
 * KMS's.
 */
public final class LocalKms implements AutoCloseable {
    private static final String ACCOUNT_ID = Stack.ACCOUNT_ID;
    private static final byte FORMAT = 1;
    private static final int KEY_ID_LENGTH = 36;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();

    private final HttpServer server;
    private final ExecutorService executor;
    private final String region;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Key> keys = new ConcurrentHashMap<>();
    private final Map<String, String> aliases = new ConcurrentHashMap<>();

    /** A customer managed key: its material, one entry per rotation, the newest last. */
    private record Key(String id, String arn, String description, Instant created, List<byte[]> material) {
        synchronized byte[] material(int version) {
            return version < material.size() ? material.get(version) : null;
        }

        synchronized int currentVersion() {
            return material.size() - 1;
        }

        synchronized void rotate(byte[] fresh) {
            material.add(fresh);
        }
    }

    /** A KMS error: its {@code __type} and message, answered with status 400. */
    private static final class KmsException extends RuntimeException {
        private final String type;

        KmsException(String type, String message) {
            super(message);
            this.type = type;
        }
    }

    private LocalKms(HttpServer server, ExecutorService executor, String region) {
        this.server = server;
        this.executor = executor;
        this.region = region;
    }

    /** Starts on a free port of {@code host}. */
    public static LocalKms start(String host, String region) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), 0), 0);
            ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
                Thread thread = new Thread(runnable, "local-kms");
                thread.setDaemon(true);
                return thread;
            });
            LocalKms kms = new LocalKms(server, executor, region);
            server.createContext("/", kms::handle);
            server.setExecutor(executor);
            server.start();
            return kms;
        } catch (IOException e) {
            throw new UncheckedIOException("The local KMS did not start", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            int status = 200;
            ObjectNode answer;
            try {
                if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith("TrentService.")) {
                    throw new KmsException("UnknownOperationException", "Not a KMS request");
                }
                if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
                    throw new KmsException("MissingAuthenticationTokenException", "Request is missing Authentication Token");
                }
                JsonNode request = read(exchange.getRequestBody());
                answer = operation(target.substring("TrentService.".length()), request);
            } catch (KmsException e) {
                status = 400;
                answer = JSON.createObjectNode().put("__type", e.type).put("message", e.getMessage());
            }
            byte[] body = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static JsonNode read(InputStream body) throws IOException {
        byte[] bytes = body.readAllBytes();
        try {
            JsonNode node = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
            if (!node.isObject()) {
                throw new KmsException("SerializationException", "The request body is not a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw new KmsException("SerializationException", "The request body is not JSON");
        }
    }

    private ObjectNode operation(String name, JsonNode request) {
        return switch (name) {
            case "CreateKey" -> createKey(request);
            case "DescribeKey" -> JSON.createObjectNode().set("KeyMetadata", metadata(key(text(request, "KeyId", true))));
            case "CreateAlias" -> createAlias(request);
            case "EnableKeyRotation" -> {
                // rotation happens when asked (RotateKeyOnDemand), not on a yearly schedule
                key(text(request, "KeyId", true));
                yield JSON.createObjectNode();
            }
            case "RotateKeyOnDemand" -> {
                Key key = key(text(request, "KeyId", true));
                key.rotate(randomBytes(32));
                yield JSON.createObjectNode().put("KeyId", key.id());
            }
            case "GenerateDataKey" -> generateDataKey(request);
            case "Encrypt" -> encrypt(request);
            case "Decrypt" -> decrypt(request);
            default -> throw new KmsException("UnsupportedOperationException",
                    "The local KMS does not serve " + name);
        };
    }

    private ObjectNode createKey(JsonNode request) {
        String keySpec = text(request, "KeySpec", false);
        String usage = text(request, "KeyUsage", false);
        if ((keySpec != null && !keySpec.equals("SYMMETRIC_DEFAULT")) || (usage != null && !usage.equals("ENCRYPT_DECRYPT"))) {
            throw new KmsException("UnsupportedOperationException", "The local KMS makes symmetric encryption keys only");
        }
        String id = UUID.randomUUID().toString();
        List<byte[]> material = new ArrayList<>();
        material.add(randomBytes(32));
        Key key = new Key(id, "arn:aws:kms:" + region + ":" + ACCOUNT_ID + ":key/" + id,
                text(request, "Description", false), Instant.now(), material);
        keys.put(id, key);
        return JSON.createObjectNode().set("KeyMetadata", metadata(key));
    }

    private ObjectNode createAlias(JsonNode request) {
        String alias = text(request, "AliasName", true);
        if (!alias.matches("alias/[a-zA-Z0-9/_-]{1,250}") || alias.startsWith("alias/aws/")) {
            throw new KmsException("ValidationException", "Invalid alias name " + alias);
        }
        Key key = key(text(request, "TargetKeyId", true));
        if (aliases.putIfAbsent(alias, key.id()) != null) {
            throw new KmsException("AlreadyExistsException", "An alias with the name " + aliasArn(alias) + " already exists");
        }
        return JSON.createObjectNode();
    }

    private ObjectNode generateDataKey(JsonNode request) {
        Key key = key(text(request, "KeyId", true));
        String spec = text(request, "KeySpec", false);
        JsonNode count = request.get("NumberOfBytes");
        if ((spec == null) == (count == null)) {
            throw new KmsException("ValidationException", "Exactly one of KeySpec and NumberOfBytes is required");
        }
        int bytes = spec == null ? count.asInt() : switch (spec) {
            case "AES_256" -> 32;
            case "AES_128" -> 16;
            default -> throw new KmsException("ValidationException", "Unknown KeySpec " + spec);
        };
        if (bytes < 1 || bytes > 1024) {
            throw new KmsException("ValidationException", "NumberOfBytes must be between 1 and 1024");
        }
        byte[] plaintext = randomBytes(bytes);
        ObjectNode answer = JSON.createObjectNode();
        answer.put("CiphertextBlob", BASE64.encodeToString(seal(key, plaintext, context(request))));
        answer.put("Plaintext", BASE64.encodeToString(plaintext));
        answer.put("KeyId", key.arn());
        return answer;
    }

    private ObjectNode encrypt(JsonNode request) {
        Key key = key(text(request, "KeyId", true));
        byte[] plaintext = blob(request, "Plaintext");
        if (plaintext.length == 0 || plaintext.length > 4096) {
            throw new KmsException("ValidationException", "Plaintext must be 1 to 4096 bytes");
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("CiphertextBlob", BASE64.encodeToString(seal(key, plaintext, context(request))));
        answer.put("KeyId", key.arn());
        answer.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        return answer;
    }

    private ObjectNode decrypt(JsonNode request) {
        ByteBuffer blob = ByteBuffer.wrap(blob(request, "CiphertextBlob"));
        if (blob.remaining() < 1 + KEY_ID_LENGTH + 4 + IV_BYTES + TAG_BITS / 8 || blob.get() != FORMAT) {
            throw new KmsException("InvalidCiphertextException", "The ciphertext is not one this KMS made");
        }
        byte[] keyId = new byte[KEY_ID_LENGTH];
        blob.get(keyId);
        Key key = keys.get(new String(keyId, StandardCharsets.US_ASCII));
        if (key == null) {
            throw new KmsException("InvalidCiphertextException", "The ciphertext refers to no key of this KMS");
        }
        String expected = text(request, "KeyId", false);
        if (expected != null && !key(expected).id().equals(key.id())) {
            throw new KmsException("IncorrectKeyException",
                    "The key ID in the request does not identify a CMK that can perform this operation.");
        }
        byte[] material = key.material(blob.getInt());
        byte[] iv = new byte[IV_BYTES];
        blob.get(iv);
        byte[] sealed = new byte[blob.remaining()];
        blob.get(sealed);
        if (material == null) {
            throw new KmsException("InvalidCiphertextException", "The ciphertext refers to no material of its key");
        }
        byte[] plaintext;
        try {
            plaintext = cipher(Cipher.DECRYPT_MODE, material, iv, context(request)).doFinal(sealed);
        } catch (AEADBadTagException e) {
            // another encryption context, or an altered ciphertext
            throw new KmsException("InvalidCiphertextException", "");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("KeyId", key.arn());
        answer.put("Plaintext", BASE64.encodeToString(plaintext));
        answer.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        return answer;
    }

    /** {@code FORMAT | key id | material version | iv | AES-GCM(plaintext) with the context as AAD}. */
    private byte[] seal(Key key, byte[] plaintext, byte[] context) {
        int version = key.currentVersion();
        byte[] iv = randomBytes(IV_BYTES);
        byte[] sealed;
        try {
            sealed = cipher(Cipher.ENCRYPT_MODE, key.material(version), iv, context).doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return ByteBuffer.allocate(1 + KEY_ID_LENGTH + 4 + IV_BYTES + sealed.length)
                .put(FORMAT).put(key.id().getBytes(StandardCharsets.US_ASCII)).putInt(version).put(iv).put(sealed)
                .array();
    }

    private static Cipher cipher(int mode, byte[] material, byte[] iv, byte[] context) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(material, "AES"), new GCMParameterSpec(TAG_BITS, iv));
        cipher.updateAAD(context);
        return cipher;
    }

    /** The encryption context in a canonical form (sorted pairs), so its member order does not matter. */
    private static byte[] context(JsonNode request) {
        JsonNode context = request.get("EncryptionContext");
        Map<String, String> sorted = new TreeMap<>();
        if (context != null && !context.isNull()) {
            if (!context.isObject()) {
                throw new KmsException("ValidationException", "EncryptionContext must be a map of strings");
            }
            for (Map.Entry<String, JsonNode> entry : context.properties()) {
                if (!entry.getValue().isString()) {
                    throw new KmsException("ValidationException", "EncryptionContext must be a map of strings");
                }
                sorted.put(entry.getKey(), entry.getValue().asString());
            }
        }
        return JSON.writeValueAsBytes(sorted);
    }

    /** The key a key id, key ARN, alias name or alias ARN names. */
    private Key key(String reference) {
        String id = reference;
        int slash = reference.indexOf(":key/");
        if (slash >= 0) {
            id = reference.substring(slash + ":key/".length());
        } else if (reference.startsWith("alias/") || reference.contains(":alias/")) {
            String alias = reference.substring(reference.indexOf("alias/"));
            id = aliases.get(alias);
            if (id == null) {
                throw new KmsException("NotFoundException", "Alias " + aliasArn(alias) + " is not found.");
            }
        }
        Key key = keys.get(id);
        if (key == null) {
            throw new KmsException("NotFoundException", "Key '" + reference + "' does not exist");
        }
        return key;
    }

    private ObjectNode metadata(Key key) {
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("AWSAccountId", ACCOUNT_ID);
        metadata.put("KeyId", key.id());
        metadata.put("Arn", key.arn());
        metadata.put("CreationDate", key.created().getEpochSecond());
        metadata.put("Enabled", true);
        metadata.put("Description", key.description() == null ? "" : key.description());
        metadata.put("KeyUsage", "ENCRYPT_DECRYPT");
        metadata.put("KeyState", "Enabled");
        metadata.put("Origin", "AWS_KMS");
        metadata.put("KeyManager", "CUSTOMER");
        metadata.put("CustomerMasterKeySpec", "SYMMETRIC_DEFAULT");
        metadata.put("KeySpec", "SYMMETRIC_DEFAULT");
        metadata.putArray("EncryptionAlgorithms").add("SYMMETRIC_DEFAULT");
        metadata.put("MultiRegion", false);
        return metadata;
    }

    private String aliasArn(String alias) {
        return "arn:aws:kms:" + region + ":" + ACCOUNT_ID + ":" + alias;
    }

    private static String text(JsonNode request, String field, boolean required) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new KmsException("ValidationException", field + " is required");
            }
            return null;
        }
        if (!value.isString() || value.asString().isEmpty()) {
            throw new KmsException("ValidationException", field + " must be a non-empty string");
        }
        return value.asString();
    }

    private static byte[] blob(JsonNode request, String field) {
        String value = text(request, field, true);
        try {
            return BASE64_DECODER.decode(value);
        } catch (IllegalArgumentException e) {
            throw new KmsException("SerializationException", field + " is not base64");
        }
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }
}
