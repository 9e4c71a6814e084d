package dev.longhaul.aws.s3;

import dev.longhaul.aws.client.AwsResponse;
import dev.longhaul.aws.client.AwsServiceException;
import dev.longhaul.aws.client.ServiceClient;
import dev.longhaul.aws.client.SigV4;
import dev.longhaul.aws.client.Transport;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The S3 object operations Longhaul uses, over S3's REST API. With an endpoint override (an
 * emulator) buckets are addressed by path, otherwise virtual-hosted on the regional endpoint.
 * Every write asks for server-side encryption (SSE-S3, AES256).
 */
public final class S3 {
    private static final Pattern UPLOAD_ID = Pattern.compile("<UploadId>([^<]*)</UploadId>");
    private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");
    private static final Pattern MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");
    private final ServiceClient client;
    private final URI endpoint;
    private final boolean pathStyle;
    private final String region;

    /** @param endpoint the override, or null for AWS's regional endpoint */
    public S3(ServiceClient client, URI endpoint, String region) {
        this.client = client;
        this.region = region;
        this.pathStyle = endpoint != null;
        this.endpoint = endpoint != null ? endpoint
                : URI.create("https://s3." + region + "." + (region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com"));
    }

    /** A single PutObject: the body as it is. */
    public void putObject(String bucket, String key, String contentType, Transport.Body body) {
        Map<String, String> headers = writeHeaders(contentType);
        client.execute("PutObject", "PUT", uri(bucket, key, null), headers, body);
    }

    /** @return the upload id */
    public String createMultipartUpload(String bucket, String key, String contentType) {
        AwsResponse response = client.execute("CreateMultipartUpload", "POST", uri(bucket, key, "uploads="),
                writeHeaders(contentType), null);
        Matcher m = UPLOAD_ID.matcher(response.text());
        if (!m.find()) {
            throw new AwsServiceException("S3", "CreateMultipartUpload", response.status(), "MalformedResponse",
                    "no UploadId in the response");
        }
        return unescape(m.group(1));
    }

    /** @return the part's ETag, as S3 gave it (quoted) */
    public String uploadPart(String bucket, String key, String uploadId, int partNumber, Transport.Body body) {
        AwsResponse response = client.execute("UploadPart", "PUT",
                uri(bucket, key, "partNumber=" + partNumber + "&uploadId=" + SigV4.encode(uploadId, true)), Map.of(), body);
        String eTag = response.header("ETag");
        if (eTag == null) {
            throw new AwsServiceException("S3", "UploadPart", response.status(), "MalformedResponse", "no ETag");
        }
        return eTag;
    }

    public void completeMultipartUpload(String bucket, String key, String uploadId, List<Part> parts) {
        StringBuilder xml = new StringBuilder("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        for (Part part : parts) {
            xml.append("<Part><PartNumber>").append(part.number()).append("</PartNumber><ETag>")
                    .append(escape(part.eTag())).append("</ETag></Part>");
        }
        xml.append("</CompleteMultipartUpload>");
        client.execute("CompleteMultipartUpload", "POST", uri(bucket, key, "uploadId=" + SigV4.encode(uploadId, true)),
                Map.of("Content-Type", "application/xml"),
                Transport.Body.of(xml.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    public void abortMultipartUpload(String bucket, String key, String uploadId) {
        client.execute("AbortMultipartUpload", "DELETE", uri(bucket, key, "uploadId=" + SigV4.encode(uploadId, true)),
                Map.of(), null);
    }

    public void deleteObject(String bucket, String key) {
        client.execute("DeleteObject", "DELETE", uri(bucket, key, null), Map.of(), null);
    }

    /** The object's bytes (for small objects), or null when there is no such key. */
    public byte[] getObject(String bucket, String key) {
        try {
            return client.execute("GetObject", "GET", uri(bucket, key, null), Map.of(), null).body();
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** The object's size, or empty when there is no such key. */
    public OptionalLong headObject(String bucket, String key) {
        try {
            AwsResponse response = client.execute("HeadObject", "HEAD", uri(bucket, key, null), Map.of(), null);
            String length = response.header("Content-Length");
            return length == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(length));
        } catch (AwsServiceException e) {
            if (e.statusCode() == 404) {
                return OptionalLong.empty();
            }
            throw e;
        }
    }

    /**
     * A presigned GET of the object, signed locally: no request is sent.
     *
     * @param responseOverrides {@code response-content-type} and the like, signed into the URL
     */
    public URI presignGet(String bucket, String key, Map<String, String> responseOverrides, Duration ttl) {
        StringBuilder query = new StringBuilder();
        new TreeMap<>(responseOverrides).forEach((name, value) -> query.append(query.length() == 0 ? "" : "&")
                .append(SigV4.encode(name, true)).append('=').append(SigV4.encode(value, true)));
        return client.signer().presign("GET", uri(bucket, key, query.length() == 0 ? null : query.toString()), ttl,
                client.credentials().credentials(), Instant.now());
    }

    public String region() {
        return region;
    }

    private URI uri(String bucket, String key, String rawQuery) {
        String base = endpoint.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String path = "/" + SigV4.encode(key, false);
        String url;
        if (pathStyle || bucket.contains(".")) {
            url = base + "/" + SigV4.encode(bucket, true) + path;
        } else {
            url = endpoint.getScheme() + "://" + bucket + "." + endpoint.getRawAuthority() + path;
        }
        return URI.create(rawQuery == null ? url : url + "?" + rawQuery);
    }

    private static Map<String, String> writeHeaders(String contentType) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", contentType == null ? "application/octet-stream" : contentType);
        headers.put("x-amz-server-side-encryption", "AES256");
        return headers;
    }

    /**
     * S3's XML errors; also a 200 whose body is an {@code <Error>}, which S3 answers to a
     * CompleteMultipartUpload that failed after it started (treated as a 500, so it is retried).
     */
    public static AwsServiceException error(String operation, AwsResponse response) {
        String text = response.body().length == 0 ? "" : response.text();
        if (response.ok()) {
            if (operation.equals("CompleteMultipartUpload") && text.contains("<Error>")) {
                return new AwsServiceException("S3", operation, 500, first(CODE, text, "InternalError"),
                        first(MESSAGE, text, null));
            }
            return null;
        }
        String code = first(CODE, text, response.status() == 404 ? "NotFound" : "Http" + response.status());
        return new AwsServiceException("S3", operation, response.status(), code, first(MESSAGE, text, null));
    }

    private static String first(Pattern pattern, String text, String fallback) {
        Matcher m = pattern.matcher(text);
        return m.find() ? unescape(m.group(1)) : fallback;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String unescape(String text) {
        return text.replace("&quot;", "\"").replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&#34;", "\"").replace("&amp;", "&");
    }

    /** A stored part of a multipart upload. */
    public record Part(int number, String eTag) {
    }
}
