package dev.longhaul.core.testing;

import dev.longhaul.core.port.SecretKeys;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Secret keys in memory: versions {@code v1}, {@code v2}... per name, with counts of the reads. */
public final class InMemorySecretKeys implements SecretKeys {
    private final Map<String, List<Key>> keys = new HashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger currentReads = new AtomicInteger();
    private final AtomicInteger findReads = new AtomicInteger();

    @Override
    public synchronized Key current(String name) {
        currentReads.incrementAndGet();
        List<Key> versions = keys.computeIfAbsent(name, n -> new ArrayList<>());
        if (versions.isEmpty()) {
            rotate(name);
        }
        return versions.get(versions.size() - 1);
    }

    @Override
    public synchronized Optional<byte[]> find(String name, String id) {
        findReads.incrementAndGet();
        return keys.getOrDefault(name, List.of()).stream().filter(k -> k.id().equals(id)).map(Key::bytes).findFirst();
    }

    /** A new current version; the earlier ones stay findable. */
    public synchronized Key rotate(String name) {
        List<Key> versions = keys.computeIfAbsent(name, n -> new ArrayList<>());
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        Key key = new Key("v" + (versions.size() + 1), bytes);
        versions.add(key);
        return key;
    }

    /** Forgets a version, as a store does once it is past keeping. */
    public synchronized void retire(String name, String id) {
        keys.getOrDefault(name, new ArrayList<>()).removeIf(k -> k.id().equals(id));
    }

    public int currentReads() {
        return currentReads.get();
    }

    public int findReads() {
        return findReads.get();
    }
}
