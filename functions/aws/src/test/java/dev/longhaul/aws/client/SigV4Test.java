package dev.longhaul.aws.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The signer against the worked examples AWS publishes, signature for signature: a header-signed
 * request (IAM user guide) and S3's header-signed GET and presigned URL (S3 API reference,
 * "Signature Calculations for the Authorization Header" and "Authenticating Requests: Using
 * Query Parameters").
 */
class SigV4Test {
    private static final Credentials IAM_EXAMPLE =
            new Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static final Credentials S3_EXAMPLE =
            new Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", null);
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void signsTheIamListUsersExample() {
        Map<String, String> signed = new SigV4("iam", "us-east-1").sign("GET",
                URI.create("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"),
                Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), EMPTY_SHA256,
                IAM_EXAMPLE, Instant.parse("2015-08-30T12:36:00Z"));
        assertEquals("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                        + "SignedHeaders=content-type;host;x-amz-date, "
                        + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
                signed.get("Authorization"));
        assertEquals("20150830T123600Z", signed.get("x-amz-date"));
    }

    @Test
    void signsTheS3GetObjectExample() {
        Map<String, String> signed = new SigV4("s3", "us-east-1").sign("GET",
                URI.create("https://examplebucket.s3.amazonaws.com/test.txt"),
                Map.of("Range", "bytes=0-9", "x-amz-content-sha256", EMPTY_SHA256), EMPTY_SHA256,
                S3_EXAMPLE, Instant.parse("2013-05-24T00:00:00Z"));
        assertEquals("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                        + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
                signed.get("Authorization"));
    }

    @Test
    void presignsTheS3Example() {
        URI url = new SigV4("s3", "us-east-1").presign("GET", URI.create("https://examplebucket.s3.amazonaws.com/test.txt"),
                Duration.ofDays(1), S3_EXAMPLE, Instant.parse("2013-05-24T00:00:00Z"));
        assertTrue(url.toString().startsWith("https://examplebucket.s3.amazonaws.com/test.txt?"), url.toString());
        assertTrue(url.getRawQuery().endsWith(
                "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"), url.toString());
        assertTrue(url.getRawQuery().contains("X-Amz-Expires=86400"), url.toString());
    }

    @Test
    void aSessionTokenIsSentAndSigned() {
        Map<String, String> signed = new SigV4("dynamodb", "eu-west-1").sign("POST", URI.create("http://127.0.0.1:8000/"),
                Map.of(), EMPTY_SHA256, new Credentials("AKID", "secret", "session-token"), Instant.now());
        assertEquals("session-token", signed.get("x-amz-security-token"));
        assertTrue(signed.get("Authorization").contains("SignedHeaders=host;x-amz-date;x-amz-security-token"),
                signed.get("Authorization"));
    }

    @Test
    void encodesAsRfc3986() {
        assertEquals("a%20b%2Bc~d_e.f-g%2F%C3%A9", SigV4.encode("a b+c~d_e.f-g/é", true));
        assertEquals("results/x%20y", SigV4.encode("results/x y", false));
    }

    @Test
    void theHostCarriesOnlyANonDefaultPort() {
        assertEquals("localhost:4566", SigV4.host(URI.create("http://localhost:4566/")));
        assertEquals("s3.amazonaws.com", SigV4.host(URI.create("https://s3.amazonaws.com:443/")));
    }

    @Test
    void theQueryIsSortedForTheCanonicalRequest() {
        assertEquals("a=1&b=&b=2&uploads=", SigV4.canonicalQuery("uploads=&b=2&a=1&b="));
    }
}
