package dev.longhaul.aws.client;

/** Where credentials come from; asked before every request is signed, so it may refresh them. */
@FunctionalInterface
public interface CredentialsSource {
    Credentials credentials();

    static CredentialsSource fixed(Credentials credentials) {
        return () -> credentials;
    }
}
